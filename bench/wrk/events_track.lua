-- POST /api/events/track bodies as the adapter sends them for a Segment track call.
-- Every request carries a new event id (so the fake's state grows as it would in
-- staging) for one of 10,000 users; product fields vary with the counter.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Api-Key"] = os.getenv("BENCH_API_KEY") or "bench-key"

local names = {"Product Viewed", "Product Clicked", "Video Played", "Search"}
local categories = {"Shoes", "Shirts", "Hats", "Bags", "Books"}
local counter = 0
local nonce = 0

function setup(thread)
  thread:set("tid", (thread_count or 0))
  thread_count = (thread_count or 0) + 1
end

function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
  nonce = math.random(1, 1000000000)
end

function request()
  counter = counter + 1
  local user = (counter * 7919 + (tid or 0) * 104729) % 10000
  local product = counter % 5000
  local body = string.format(
    '{"email":"user%06d@example.com","userId":"user-%06d","eventName":"%s",' ..
    '"id":"wrk-%d-%d-%d","createdAt":%d,"dataFields":{"product_id":"prod-%05d",' ..
    '"sku":"SKU-%05d","name":"Model %d","category":"%s","price":%d.%02d,"quantity":%d,' ..
    '"url":"https://shop.example.com/p/%d","currency":"USD",' ..
    '"email":"user%06d@example.com"}}',
    user, user, names[counter % #names + 1], nonce, tid or 0, counter,
    1714521600 + counter, product, product, product, categories[counter % #categories + 1],
    5 + counter % 195, counter % 100, 1 + counter % 3, product, user)
  return wrk.format(nil, nil, nil, body)
end
