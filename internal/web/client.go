package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Client is who sent a request, as far as the server can tell: the
// reader's address and whether their browser reached the site over TLS.
// Site.Middleware resolves it behind a trusted proxy; handlers read it with
// ClientOf, never from the request's headers or connection.
type Client struct {
	// Addr is the reader's address; invalid when the connection's
	// address is not an IP address (such as a Unix socket's).
	Addr netip.Addr
	// Secure is set when the browser used HTTPS, to the proxy or to
	// this server.
	Secure bool
}

// Scheme is "https" or "http", as the browser used.
func (c Client) Scheme() string {
	if c.Secure {
		return "https"
	}
	return "http"
}

type clientKey struct{}

// ClientOf returns the client Site.Middleware resolved for r behind a
// trusted proxy; otherwise (no TrustProxy, or a handler called directly)
// the connection's address and scheme.
func ClientOf(r *http.Request) Client {
	if c, ok := r.Context().Value(clientKey{}).(Client); ok {
		return c
	}
	return resolveClient(r, false)
}

// schemeOf is ClientOf(r).Scheme() without reading the address.
func schemeOf(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(Client); ok {
		return c.Scheme()
	}
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// withClient returns r with its client resolved from the proxy's headers,
// for ClientOf.
func withClient(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), clientKey{}, resolveClient(r, true)))
}

// resolveClient finds r's client. The connection's peer is the reader,
// unless trustProxy says it is a reverse proxy: then X-Forwarded-For and
// X-Forwarded-Proto say who the proxy served. Without trustProxy those
// headers are ignored, since any reader can send them.
func resolveClient(r *http.Request, trustProxy bool) Client {
	c := Client{Addr: peerAddr(r.RemoteAddr), Secure: r.TLS != nil}
	if !trustProxy {
		return c
	}
	if a, ok := forwardedFor(r.Header.Values("X-Forwarded-For"), c.Addr); ok {
		c.Addr = a
	}
	if proto := lastElement(r.Header.Values("X-Forwarded-Proto")); proto != "" {
		c.Secure = strings.EqualFold(proto, "https")
	}
	return c
}

// forwardedFor returns the address the proxy at peer saw: the right-most
// in the X-Forwarded-For values that is not the proxy's own. Each proxy
// appends the address it saw, so everything left of that was written by
// the reader and may be forged; a malformed right-most entry means the
// proxy's value cannot be read, and the peer stands.
func forwardedFor(values []string, peer netip.Addr) (netip.Addr, bool) {
	list := strings.Split(strings.Join(values, ","), ",")
	for i := len(list) - 1; i >= 0; i-- {
		s := strings.TrimSpace(list[i])
		if s == "" {
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			// Some proxies write the port too.
			ap, perr := netip.ParseAddrPort(s)
			if perr != nil {
				return netip.Addr{}, false
			}
			a = ap.Addr()
		}
		if a = a.Unmap(); a != peer {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// lastElement returns the right-most element of comma-separated header
// values: the one the nearest proxy wrote.
func lastElement(values []string) string {
	if len(values) == 0 {
		return ""
	}
	v := values[len(values)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// peerAddr is the IP address in a connection's host:port.
func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}
