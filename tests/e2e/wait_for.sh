# Sourced by the end-to-end scripts. wait_for SECONDS CONDITION...: runs CONDITION every 0.1 s until it
# succeeds (status 0) or SECONDS have passed (status 1). Tests wait for conditions like this, with
# generous deadlines, never for a fixed time.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.1
  done
}
