vcl 4.1;
# Varnish in front of 'dateline serve' nodes (README, "A CDN or Varnish in
# front"). Start each node with --purge varnish:http://VARNISH:6081 and the
# nodes' addresses below. Pages are kept as long as the nodes say
# (s-maxage, --shared-cache) and dropped by cache tag when something they
# show changes: a node sends PURGE with the tags in Surrogate-Key, and this
# VCL bans the objects carrying any of them.

import directors;
import std;

# A node is sent readers while its /readyz answers 200: database reachable,
# schema current, change feed followed.
probe ready {
    .url = "/readyz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

# BEGIN BACKENDS (the nodes; the test in internal/cli writes its own here)
backend node1 { .host = "10.0.0.11"; .port = "8080"; .probe = ready; }
backend node2 { .host = "10.0.0.12"; .port = "8080"; .probe = ready; }
backend node3 { .host = "10.0.0.13"; .port = "8080"; .probe = ready; }

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node1);
    nodes.add_backend(node2);
    nodes.add_backend(node3);
}
# END BACKENDS

# Who may purge: the nodes.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/24;
}

sub vcl_recv {
    set req.backend_hint = nodes.backend();
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        # The nodes send tags of lower-case letters, digits and hyphens
        # only, separated by one space: safe in the ban's expression.
        if (req.http.Surrogate-Key !~ "^[a-z0-9-]+( [a-z0-9-]+)*$") {
            return (synth(400, "Surrogate-Key: cache tags separated by spaces"));
        }
        # No space in the ban's regular expression, which would end it.
        # A ban refused is an error the node sees, retries and logs.
        if (std.ban("obj.http.Surrogate-Key ~ (^|[[:space:]])(" + regsuball(req.http.Surrogate-Key, " ", "|") + ")([[:space:]]|$)")) {
            return (synth(200, "Purged"));
        }
        return (synth(500, "Ban refused: " + std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, health checks and readers with a pending comment (their
    # page shows it) are never cached.
    if (req.url ~ "^/admin" || req.url ~ "^/(healthz|readyz)$" || req.http.Cookie ~ "dateline_") {
        return (pass);
    }
    # Other cookies (analytics) change nothing a node answers.
    unset req.http.Cookie;
    # While the nodes answer, a page past its time is served for a minute
    # at most as it is fetched again (stale-while-revalidate); while none
    # does, for as long as it is kept (stale-if-error).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # A page stays while its node says (s-maxage); it is kept a day past
    # that for the nodes' failures (vcl_recv limits it to a minute while
    # they answer).
    if (beresp.http.Cache-Control ~ "stale-if-error") {
        set beresp.grace = 1d;
    }
}

sub vcl_backend_error {
    # No node answered: a page kept past its time is better than an error.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # The tags are for this cache; readers' browsers do not need them.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
