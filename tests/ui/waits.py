"""How long page tests wait for work done off the event loop (a worker process, password hashing, the emulator)."""

# Tries, 0.1 s apart. `should_see` returns at the first success, so a generous cap costs nothing on a quiet machine
# and keeps a loaded one (a worker process per analysis) from failing a test that is right.
WAIT = 300
