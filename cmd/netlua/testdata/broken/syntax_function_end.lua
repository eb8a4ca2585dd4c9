local function handle(frame)
  if frame then
    return #frame
  end

handle("abc")
