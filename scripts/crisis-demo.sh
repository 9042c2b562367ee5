#!/usr/bin/env bash
# A crisis scenario against a running service (npm start), printed as a transcript:
# France sends Kenya a request for assistance; Kenya acknowledges, declines (no
# reason needed), France closes the exchange. Usage: scripts/crisis-demo.sh [base-url]
# `brief a,b,c` keeps the named fields of the response's `request` (and the receipt).
set -euo pipefail
BASE=${BASE:-${1:-http://localhost:3000}}
brief() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);const o={};
    for (const k of process.argv[1].split(",")) o[k]=(r.request??r)[k];
    if (r.receipt) o.receipt=r.receipt; console.log(JSON.stringify(o))})' "$1"
}
run() { printf '$ %s\n' "$1"; eval "$1"; printf '\n'; }
FRA=$(npm run -s token -- --role delegate --state FRA --sub fra-desk-officer)
KEN=$(npm run -s token -- --role delegate --state KEN --sub ken-cert-duty)
echo "\$ BASE=$BASE"
echo '$ FRA=$(npm run -s token -- --role delegate --state FRA --sub fra-desk-officer)'
echo '$ KEN=$(npm run -s token -- --role delegate --state KEN --sub ken-cert-duty)'
echo
run 'curl -s -X PUT -H "authorization: Bearer $FRA" $BASE/v1/states/FRA/participation | brief participation'
run 'curl -s -X PUT -H "authorization: Bearer $KEN" $BASE/v1/states/KEN/participation | brief participation'
run 'curl -s -X POST -H "authorization: Bearer $KEN" -H "content-type: application/json" $BASE/v1/states/KEN/contacts -d '"'"'{"domains":["technical"],"name":"Amina Otieno","title":"KE-CIRT duty officer","rank":"senior officer","organization":"KE-CIRT/CC","email":"duty@cirt.example.ke","phone":"+254700000001","languages":["en","sw"],"timezone":"Africa/Nairobi","availability":"24/7"}'"'"' | brief receipt'
run 'R=$(curl -s -X POST -H "authorization: Bearer $FRA" -H "content-type: application/json" -H "idempotency-key: fra-2026-11-21-001" $BASE/v1/requests -d '"'"'{"to":"KEN","domain":"technical","type":"request-for-assistance","urgency":"urgent","subject":"Ransomware on port authority systems","incidentSummary":"Since 03:00 UTC the port authority network is encrypted; the command-and-control servers appear to be hosted in Kenya.","ask":"Please help take down the servers listed by our CERT.","tlp":"AMBER","language":"en"}'"'"'); echo "$R" | brief id,from,to,status,urgency,subject; ID=$(echo "$R" | node -pe "JSON.parse(require(\"fs\").readFileSync(0)).request.id")'
run 'curl -s -X POST -H "authorization: Bearer $KEN" $BASE/v1/requests/$ID/acknowledgement | brief status,acknowledgedAt'
run 'curl -s -X POST -H "authorization: Bearer $KEN" -H "content-type: application/json" $BASE/v1/requests/$ID/responses -d '"'"'{"decision":"decline"}'"'"' | brief status,responses'
run 'curl -s -X POST -H "authorization: Bearer $FRA" $BASE/v1/requests/$ID/close | brief status,closedAt'
run 'curl -s -X POST -H "authorization: Bearer $KEN" -H "content-type: application/json" $BASE/v1/requests/$ID/responses -d '"'"'{"decision":"answer","body":"too late"}'"'"''
echo
run 'curl -s -H "authorization: Bearer $(npm run -s token -- --role secretariat)" $BASE/v1/requests/$ID'
echo
run 'curl -s -H "authorization: Bearer $KEN" "$BASE/v1/ledger/entries?from=0&limit=20" | node -e '"'"'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for (const e of JSON.parse(s).entries) console.log(e.index, e.entry.type, e.entry.actor.state ?? e.entry.actor.role, e.leafHash.slice(0,16))})'"'"''
