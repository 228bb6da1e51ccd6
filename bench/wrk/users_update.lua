-- POST /api/users/update bodies as the adapter sends them for a Segment identify call.
-- Emails cycle over a bounded set of 5,000 users, so most requests update an existing
-- profile (merge, type checks) the way a steady identify stream does.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Api-Key"] = os.getenv("BENCH_API_KEY") or "bench-key"

local plans = {"free", "starter", "pro", "enterprise"}
local counter = 0

function setup(thread)
  thread:set("tid", (thread_count or 0))
  thread_count = (thread_count or 0) + 1
end

function request()
  counter = counter + 1
  local user = (counter * 7919 + (tid or 0) * 104729) % 5000
  local body = string.format(
    '{"email":"user%06d@example.com","userId":"user-%06d","dataFields":{' ..
    '"email":"user%06d@example.com","firstName":"First%d","lastName":"Last%d",' ..
    '"plan":"%s","logins":%d,"phone":"+1555%07d","phoneNumber":"+1555%07d",' ..
    '"createdAt":"2023-%02d-%02dT10:00:00+00:00",' ..
    '"address":{"city":"Springfield","country":"US","postalCode":"%05d"}}}',
    user, user, user, user, user, plans[counter % #plans + 1], counter, user, user,
    1 + user % 12, 1 + user % 28, user)
  return wrk.format(nil, nil, nil, body)
end
