# totp_code — sourced by run.sh and monthly_views.sh: the 6-digit code (RFC 6238) of the demo's published
# test secret (src/store/demo.h) at the instant the server at $BASE judges by (its /api/v1/health "now"),
# for the accounts with 两步验证.
totp_code() {
  curl -s --max-time 10 "$BASE/api/v1/health" | python3 -c '
import base64, datetime, hashlib, hmac, json, struct, sys
now = datetime.datetime.fromisoformat(json.load(sys.stdin)["now"]).timestamp()
mac = hmac.new(base64.b32decode("ZHUCUNDEMOTOTPSECRETFORTESTSONLY"), struct.pack(">Q", int(now) // 30), hashlib.sha1).digest()
off = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7fffffff) % 1000000))'
}
