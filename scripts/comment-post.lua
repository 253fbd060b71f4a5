-- comment-post.lua drives wrk (scripts/multinode.sh) to post comments as
-- readers of a page a shared cache served do: the form, without a token,
-- comes back with one of the node's own to confirm; posting it again with
-- that token stores the comment (a 303 to it). Each comment's text is its
-- own, so none is refused as a duplicate. POST_PATH is the article's
-- comment address.
local path = os.getenv("POST_PATH")
local threads = {}

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

local tokens = {}
local sent = 0
stored = 0

local function form(token)
	sent = sent + 1
	local text = "Comment " .. id .. "-" .. sent .. ": will the trial reach the outer districts?"
	return "author=Reader+" .. id .. "&email=reader" .. id .. "%40mail.example&comment_parent=0&dl_token=" .. token ..
		"&comment=" .. text:gsub(" ", "+"):gsub(":", "%%3A"):gsub("%?", "%%3F")
end

function request()
	local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
	local token = table.remove(tokens)
	return wrk.format("POST", path, headers, form(token or ""))
end

function response(status, headers, body)
	if status == 303 then
		stored = stored + 1
		return
	end
	local token = body:match('name="dl_token" value="([^"]+)"')
	if token then
		table.insert(tokens, token)
	end
end

function done(summary, latency, requests)
	local total = 0
	for _, t in ipairs(threads) do
		total = total + t:get("stored")
	end
	io.write("stored " .. total .. "\n")
end
