-- Pings to Tokens picked at random from the file named by NGIP_UUIDS; prints
-- the status and body of the first answer of each kind other than 200.
-- NGIP_CLOSE=1 asks for one connection per ping (`Connection: close`), as
-- curl from cron does.
local uuids = {}
for line in io.lines(os.getenv("NGIP_UUIDS")) do
  uuids[#uuids + 1] = line
end

local headers = {}
if os.getenv("NGIP_CLOSE") == "1" then
  headers["Connection"] = "close"
end

request = function()
  return wrk.format("GET", "/ping/" .. uuids[math.random(#uuids)], headers)
end

local seen = {}
response = function(status, headers, body)
  if status ~= 200 and not seen[status] then
    seen[status] = true
    io.write("answer ", status, ": ", body, "\n")
  end
end
