-- Pings to Tokens picked at random from the file named by NGIP_UUIDS; prints
-- the status and body of the first answer of each kind other than 200.
local uuids = {}
for line in io.lines(os.getenv("NGIP_UUIDS")) do
  uuids[#uuids + 1] = line
end

request = function()
  return wrk.format("GET", "/ping/" .. uuids[math.random(#uuids)])
end

local seen = {}
response = function(status, headers, body)
  if status ~= 200 and not seen[status] then
    seen[status] = true
    io.write("answer ", status, ": ", body, "\n")
  end
end
