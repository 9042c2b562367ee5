// Generated from openapi.yaml by `npm run client:types` (openapi-typescript); do not edit.
// A test checks it matches a fresh generation.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The process is alive
         * @description Liveness probe: answers 200 as long as the process serves HTTP. It does not touch the database; use /readyz for that.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The database is reachable and every migration is applied
         * @description Readiness probe: 200 when the database answers and the schema is up to date, 503 problem otherwise. Point load balancers and orchestrators here.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/problems/{type}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a problem type means and what to do about it (text/html)
         * @description The page every problem's `type` URI names: its title, HTTP status and what the client should do. Unknown types answer 404.
         */
        get: operations["getProblemType"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Participating states (no contact data)
         * @description Lists the states known to the directory with their participation status. Carries no contact data.
         */
        get: operations["listStates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/participation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A state's participation status
         * @description Returns whether the state (ISO 3166-1 alpha-3) participates, and since when.
         */
        get: operations["getParticipation"];
        /**
         * Join the directory (a delegate of that state); idempotent
         * @description Records the state's participation in the directory; calling it again changes nothing. Participation is voluntary.
         */
        put: operations["joinDirectory"];
        post?: never;
        /**
         * Withdraw: the state's data key is destroyed and its contacts become unrecoverable
         * @description Withdraws the state: its data key is destroyed, so its contacts can no longer be decrypted by anyone. The withdrawal is written to the ledger. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it; the state's other pending changes then expire.
         */
        delete: operations["withdrawFromDirectory"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A state's contacts visible to the caller (exact-match email lookup via blind index)
         * @description Lists the state's contacts the caller may see under the visibility and disclosure rules. Paginated with cursor/nextCursor; ?email= is an exact match through a blind index.
         */
        get: operations["listStateContacts"];
        put?: never;
        /**
         * Add a point of contact (delegates of that state)
         * @description Adds a point of contact for the state; its fields are encrypted at rest and it starts pending verification. Honours Idempotency-Key, and goes through dual control when the state's policy asks for it.
         */
        post: operations["createContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One contact (404 unless the caller may see it)
         * @description Returns one contact with its version (for If-Match). Answers 404 when the caller may not see it, so existence is not revealed.
         */
        get: operations["getContact"];
        put?: never;
        post?: never;
        /**
         * Remove a contact (delegates of the owning state)
         * @description Removes the contact; the removal is written to the ledger.
         */
        delete: operations["deleteContact"];
        options?: never;
        head?: never;
        /**
         * Change a contact (delegates of the owning state); If-Match: "<version>" for optimistic concurrency
         * @description Changes the contact's fields; send If-Match with the version you read to avoid overwriting a concurrent change. A change of content returns the contact to pending verification.
         */
        patch: operations["updateContact"];
        trace?: never;
    };
    "/v1/directory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every contact the caller may see, grouped by state and domain
         * @description Every contact the caller may see, grouped by state and domain, in one document. Use it for a full local copy; use the per-state list for lookups.
         */
        get: operations["getDirectory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/directory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public directory: contacts their states chose to make public (no authentication)
         * @description The contacts their states chose to publish, without authentication. Confidential contacts never appear here.
         */
        get: operations["getPublicDirectory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{id}/verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify or reject a contact (secretariat); a later change of content returns it to pending
         * @description The secretariat marks a contact verified or rejected after checking it out of band. A later change of the contact's content returns it to pending.
         */
        post: operations["verifyContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{id}/confirmation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-confirm a contact as still accurate (delegates of the owning state); keeps it from going stale
         * @description A delegate re-confirms the contact is still accurate, which resets its freshness clock.
         */
        post: operations["confirmContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/disclosures/{counterpart}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant a counterpart (or '*': every participating state) disclosure of some domains of this state's contacts
         * @description unilateral: the grant alone opens the contacts. reciprocal: each domain opens only while the counterpart grants this state the same domain; if it revokes, the contacts close at once. Idempotent: the same grant again changes nothing. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it.
         */
        put: operations["grantDisclosure"];
        post?: never;
        /**
         * Revoke a grant
         * @description Revokes the grant to the counterpart; its contacts stop being visible to the counterpart on the next request. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it.
         */
        delete: operations["revokeDisclosure"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/disclosures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the state granted and what was granted to it, with the effective status of each (its delegates, the secretariat, auditors)
         * @description The grants the state made and received, each with its effective status (a reciprocal grant is effective only when matched).
         */
        get: operations["listDisclosures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Requests of the caller's state (box=inbox|outbox); the secretariat sees metadata of all, never content
         * @description Lists the requests of the caller's state (box=inbox or outbox), paginated with cursor/nextCursor. The secretariat sees metadata of all requests, never their content.
         */
        get: operations["listRequests"];
        put?: never;
        /**
         * Send a communication request to another state's points of contact (standardized template)
         * @description Sends a communication request to another state's points of contact using the standardized template. Content is encrypted and visible only to the two parties; honours Idempotency-Key.
         */
        post: operations["createRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One request: the parties (and audiences both consented to) see content; the secretariat metadata only
         * @description Returns one request. The parties (and audiences both consented to) see its content; the secretariat sees metadata only.
         */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/acknowledgement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge receipt (recipient)
         * @description The recipient acknowledges receipt; this starts no obligation to respond. Honours Idempotency-Key.
         */
        post: operations["acknowledgeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Respond (recipient): answer, or decline without giving reasons; responding is voluntary
         * @description The recipient answers the request or declines it without giving reasons. Responding is voluntary; honours Idempotency-Key.
         */
        post: operations["respondToRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close the exchange (either party)
         * @description Either party closes the exchange; no further transitions are possible afterwards.
         */
        post: operations["closeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/withdrawal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw the request (sender, before a response)
         * @description The sender withdraws the request, allowed until the recipient has responded.
         */
        post: operations["withdrawRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/requests/{id}/disclosure-consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Consent to disclose the exchange beyond its two parties; effective once both parties consented to the same audience
         * @description One party consents to disclose the exchange to a wider audience. The disclosure takes effect only once both parties consented to the same audience.
         */
        post: operations["consentToRequestDisclosure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The request template's field labels and values in a UN language (ar, zh, en, fr, ru, es)
         * @description The standardized request template's field labels and allowed values in one of the six UN languages, for building forms. Public.
         */
        get: operations["getRequestTemplate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check rounds (secretariat, auditors)
         * @description Lists the reachability check rounds with their targets and progress.
         */
        get: operations["listChecks"];
        put?: never;
        /**
         * Start a reachability check ("ping test") of all or some participating states (secretariat)
         * @description The secretariat starts a reachability check: each targeted state receives a one-time challenge by webhook or email and must acknowledge it.
         */
        post: operations["startCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Results per state: reached or not, time to acknowledge (a delegate sees its own state only)
         * @description The results of one check round per state: reached or not and the time to acknowledge. A delegate sees its own state's row only.
         */
        get: operations["getCheck"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checks/{id}/acknowledgements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge a check with the one-time challenge received by webhook or email (a delegate of the targeted state)
         * @description A delegate of a targeted state acknowledges the check with the one-time challenge it received. A wrong or reused challenge is refused.
         */
        post: operations["acknowledgeCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/reachability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reachability over check rounds: participation, reach rate, median and p90 time to acknowledge
         * @description Reachability aggregated over check rounds: participation, reach rate, median and 90th percentile time to acknowledge.
         */
        get: operations["getReachabilityReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/freshness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per state: contacts verified, pending, rejected and stale
         * @description Per state, how many contacts are verified, pending, rejected and stale (not confirmed within the freshness period).
         */
        get: operations["getFreshnessReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Request statistics (no content): counts by status and urgency, time to acknowledge
         * @description Request statistics without any content: counts by status and urgency and times to acknowledge.
         */
        get: operations["getRequestsReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/aggregate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Aggregate report: participation, reachability rates, request volumes by month (no per-state figure, no contact, no content)
         * @description The directory's use in aggregate, for the secretariat, auditors, accredited observers and participating states: participation (participating states; per domain, how many of them list a contact serving it), reachability rates over every check round, and requests sent per month (UTC). No state is named, no contact and no request content or party is shown.
         */
        get: operations["getAggregateReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Ledger entries from an index (secretariat and auditors: all; delegates: entries their state is party to)
         * @description Ledger entries from index `from`, in order, with `next` as the index to continue from. Entries are addressed by index like a transparency log; see docs/api.md for why this differs from cursor pagination.
         */
        get: operations["listLedgerEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The key that signs checkpoints (public: verifiers need it before anything else; pin it)
         * @description The Ed25519 key that signs ledger checkpoints. Public so verifiers can fetch it first; pin it out of band.
         */
        get: operations["getLedgerPublicKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest signed checkpoint (signed now if none exists or one is due)
         * @description A new checkpoint is signed when LEDGER_CHECKPOINT_ENTRIES entries are not covered by the latest one, or the oldest uncovered entry is LEDGER_CHECKPOINT_SECONDS old; so the checkpoint served lags the ledger by less than that.
         */
        get: operations["getLatestCheckpoint"];
        put?: never;
        /**
         * Sign a checkpoint of the current ledger now (secretariat and auditors)
         * @description Signs a checkpoint of the ledger as it is now, for an audit that needs a fresh anchor.
         */
        post: operations["signCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every signed checkpoint, by ascending tree size
         * @description Every signed checkpoint by ascending tree size, for checking consistency between them.
         */
        get: operations["listCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/checkpoints/{size}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed checkpoint of a tree size (404 if none was signed at that size)
         * @description The checkpoint signed at exactly this tree size; 404 when none was signed at that size.
         */
        get: operations["getCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/entries/{index}/inclusion-proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Inclusion proof of an entry (secretariat and auditors: any; delegates: entries their state is party to)
         * @description Without treeSize, the proof is for the latest checkpoint, which is returned with it (409 if that checkpoint does not cover the entry yet). Verify with RFC 9162 §2.1.3.2 against the checkpoint root, from the leaf hash you compute yourself.
         */
        get: operations["getInclusionProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/consistency-proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consistency proof between two tree sizes (any authenticated caller)
         * @description Proves that the tree of `to` entries extends the tree of `from` entries. Verify with RFC 9162 §2.1.4.2 against the two checkpoint roots.
         */
        get: operations["getConsistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/witnesses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The witnesses that cosign checkpoints and how they answer (secretariat and auditors)
         * @description Each configured witness (LEDGER_WITNESSES), the tree size it last cosigned, whether it cosigned the latest checkpoint, and its last failure (a witness that is down is retried with backoff; it never blocks appends).
         */
        get: operations["listWitnesses"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/tlog/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest checkpoint as a tiled log serves it (c2sp.org/tlog-tiles): the cosigned note, text/plain
         * @description The latest checkpoint as a signed note with its witness cosignatures, in the c2sp.org/tlog-checkpoint text format.
         */
        get: operations["getTlogCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/tlog/tile/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A hash tile or an entry bundle (c2sp.org/tlog-tiles): tile/<L>/<N>[.p/<W>], tile/entries/<N>[.p/<W>]
         * @description Hash tiles: 256 (or W) consecutive SHA-256 hashes of tree level 8·L, application/octet-stream, to any authenticated caller. Entry bundles (uint16 length-prefixed canonical entries): secretariat and auditors only. Full tiles never change (cached, immutable); partial tiles are not cached. 404 until the tree holds the tile.
         */
        get: operations["getTlogTile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The state's webhook URL and when it was set, never the secret (its delegates and the secretariat)
         * @description The state's webhook URL and when it was set. The signing secret is never returned again.
         */
        get: operations["getWebhook"];
        /**
         * Set where the state is notified (a delegate of that state); returns the signing secret, once
         * @description Deliveries are POSTs signed per the Standard Webhooks specification (headers webhook-id, webhook-timestamp, webhook-signature). The URL must be https and resolve only to public addresses (unless WEBHOOKS_ALLOW_PRIVATE=true). Setting the webhook again replaces the URL and issues a new secret. Under the state's dual control it answers 202 with a pending change (the URL is checked now and again when applied); the secret is then returned, once, to the user who approves it.
         */
        put: operations["setWebhook"];
        post?: never;
        /**
         * Remove the state's webhook (a delegate of that state)
         * @description Removes the state's webhook; nothing is posted to it any more. Under the state's dual control it answers 202 with a pending change, applied when another user of the state approves it.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/proposals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Proposals, newest first (observers: details of proposals about observers, outcomes of all)
         * @description Lists proposals, newest first. Observers see details of proposals about observers and the outcome of all.
         */
        get: operations["listProposals"];
        put?: never;
        /**
         * Propose a change to the directory’s rules, decided at the deadline under the rule in force for its kind
         * @description A state proposes a change to the directory's rules. It is decided at its deadline under the decision rule in force for its kind.
         */
        post: operations["createProposal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/proposals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One proposal with its tally and positions
         * @description One proposal with its current tally and each state's position.
         */
        get: operations["getProposal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/proposals/{id}/votes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take the state's position (support, object, abstain); a later vote before the deadline replaces it
         * @description Records the state's position (support, object or abstain). A later vote before the deadline replaces the earlier one.
         */
        post: operations["voteOnProposal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/proposals/{id}/withdrawal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a proposal (its proposer, before the deadline)
         * @description The proposer withdraws its proposal before the deadline.
         */
        post: operations["withdrawProposal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/governance/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The decision rule in force per kind, the freshness period and the adopted template version
         * @description The rules currently in force, as adopted by the members: the decision rule per kind, the freshness period and the template version.
         */
        get: operations["getGovernanceSettings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/observers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Accredited (and suspended) observer organisations; contacts for the secretariat only
         * @description Accredited and suspended observer organisations. Their contacts are shown to the secretariat only.
         */
        get: operations["listObservers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The key that signs offline exports (public; publish and pin it out of band)
         * @description The Ed25519 key that signs offline exports. Public; publish and pin it out of band to verify exports offline.
         */
        get: operations["getExportPublicKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A signed offline copy of every contact the state may see (the state's delegates)
         * @description The contacts are exactly those GET /v1/directory shows the state's delegates, grouped by state and domain, with the generation time and the ledger checkpoint current at generation, signed with the export key. When the state registered an export key, the signed export is sealed to it. A state that does not participate gets an empty export that says so. Rate limited per state (EXPORT_RATE_MAX per EXPORT_RATE_WINDOW_MS); each export is a ledger entry.
         */
        get: operations["exportDirectory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/export-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The state's registered export key (delegates of that state)
         * @description The state's registered export key, if any.
         */
        get: operations["getExportKey"];
        /**
         * Register the X25519 key the state receives its exports encrypted to (delegates of that state)
         * @description Only the public key is stored. Replacing it takes effect for the next export. 400 names the problem of a malformed, wrong-size or unusable key.
         */
        put: operations["setExportKey"];
        post?: never;
        /**
         * Remove the state's export key; later exports are signed but not encrypted (delegates of that state)
         * @description Removes the state's export key; later exports are signed but not encrypted.
         */
        delete: operations["deleteExportKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Registered users (the secretariat and auditors: all or ?state=; an authority: its own state's)
         * @description Lists registered users: all (or ?state=) for the secretariat and auditors, its own state's users for an authority.
         */
        get: operations["listUsers"];
        put?: never;
        /**
         * Register a user (the secretariat: anyone; a state's authority: its own state's delegates and authorities)
         * @description Registers a user who speaks for a state or for the secretariat, or an observer of an accredited observer organisation. The secretariat may register anyone (observers only with the `organizationId` of an accredited organisation: 409 `organization-not-accredited` otherwise); a state's authority only its own state's delegates and authorities.
         */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One user (oneself, its managers, the secretariat and auditors; 404 to others)
         * @description One user, visible to itself, its managers, the secretariat and auditors; 404 to anyone else.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /**
         * Deactivate a user: every credential of the user (tokens in registry mode, API keys) stops working on its next request
         * @description Deactivates the user: every credential of the user (registry-mode tokens, API keys) is refused from its next request.
         */
        delete: operations["deactivateUser"];
        options?: never;
        head?: never;
        /**
         * Change a user: role, state, display name, nomination reference (nobody raises their own role)
         * @description Changes a user's role, state, organisation (observers), display name or nomination reference. Nobody can raise their own role or move to another organisation.
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your API keys (an authority: its state's users' keys; the secretariat: all)
         * @description Lists API keys without their secrets: yours, your state's users' for an authority, all for the secretariat.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key acting as you within its scopes; the secret is returned once
         * @description Creates an API key that acts as you, limited to its scopes. The secret is returned in this response only.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key: refused on its very next request, on every instance
         * @description Revokes an API key; it is refused on its very next request on every instance.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The state's policy (its users, the secretariat, auditors)
         * @description Whether dual control is on for the state's changes (contacts, disclosure grants, webhook, withdrawal).
         */
        get: operations["getStatePolicy"];
        /**
         * Switch dual control on or off for the state's changes (the state's authority)
         * @description The state's authority switches dual control on or off: when on, changes to the state's contacts, disclosure grants, webhook and participation (withdrawal) wait for a second user's approval.
         */
        put: operations["setStatePolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/states/{code}/pending-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The state's pending (and decided) changes; content for the state's users only
         * @description The state's pending and decided changes (contacts, disclosure grants, webhook, withdrawal). Their content is shown to the state's users only, and to nobody once the state has withdrawn (its key is destroyed).
         */
        get: operations["listPendingChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pending-changes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One pending change
         * @description One pending change with its status and, for the state's users, its content.
         */
        get: operations["getPendingChange"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pending-changes/{id}/approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve and apply a change (another user of the same state; not its proposer)
         * @description Another user of the same state approves the change, which is applied and written to the ledger in one transaction. The proposer cannot approve its own change. An approved webhook returns its signing secret in `result`, once (not cached).
         */
        post: operations["approvePendingChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pending-changes/{id}/rejection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a change (a user of the same state)
         * @description A user of the same state rejects the change; nothing is applied.
         */
        post: operations["rejectPendingChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description RFC 9457 problem details */
        Problem: {
            type: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            requestId?: string;
            errors?: {
                path: string;
                message: string;
            }[];
            /** @description invalid-transition: the status the object is in */
            currentStatus?: string;
            /** @description invalid-transition: the statuses the transition is allowed from */
            allowedFrom?: string[];
        };
        /** @description Ledger receipt: fetch an inclusion proof for it later to hold the server to this change */
        Receipt: {
            /** @description Position of the ledger entry recording this change */
            index: number;
            /** @description RFC 9162 leaf hash of that entry, hex */
            leafHash: string;
        };
        Contact: {
            /** Format: uuid */
            id: string;
            state: string;
            domains: ("diplomatic" | "policy" | "technical")[];
            name: string;
            title: string;
            rank: string;
            organization: string;
            email: string;
            phone: string;
            languages: string[];
            timezone: string;
            availability: string;
            publicKey: string | null;
            notes: string | null;
            /** @enum {string} */
            visibility: "confidential" | "public";
            verification: {
                /**
                 * @description Set by the secretariat; any change of content returns it to pending
                 * @enum {string}
                 */
                status: "pending" | "verified" | "rejected";
                verifiedAt: string | null;
                /** @description The secretariat's note (shown to the secretariat and the owning state only) */
                note?: string | null;
            };
            /**
             * Format: date-time
             * @description When the owning state last confirmed or changed the contact
             */
            confirmedAt: string;
            /** @description Not confirmed by its state within the freshness period (STALE_AFTER_DAYS) */
            stale: boolean;
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A change waiting for a second user of the state (dual control) */
        PendingChange: {
            /** Format: uuid */
            id: string;
            state: string;
            /** @enum {string} */
            action: "contacts.create" | "contacts.update" | "contacts.delete" | "disclosure.grant" | "disclosure.revoke" | "webhook.set" | "webhook.remove" | "participation.withdraw";
            /** @description The object changed, if any: a contact id, or a disclosure grant's counterpart; null for the state's webhook or participation */
            target: string | null;
            /** @enum {string} */
            status: "pending" | "approved" | "rejected" | "expired";
            proposedBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            decidedAt: string | null;
            /** @description The proposed change (the state's users only); sealed at rest */
            content?: unknown;
        };
        StatePolicy: {
            state: string;
            dualControl: boolean;
        };
        DisclosureGrant: {
            owner: string;
            /** @description A state code, or '*' for every participating state */
            counterpart: string;
            /** @enum {string} */
            mode: "unilateral" | "reciprocal";
            domains: ("diplomatic" | "policy" | "technical")[];
            /**
             * @description Effect towards the counterpart (for the caller: towards the state the list is about)
             * @enum {string}
             */
            status: "effective" | "partially-effective" | "pending-reciprocity" | "pending-participation" | "directory-wide";
            effectiveDomains?: ("diplomatic" | "policy" | "technical")[];
            reciprocatedBy?: {
                state: string;
                domains: ("diplomatic" | "policy" | "technical")[];
            }[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description The X25519 key a state receives its exports encrypted to (only the public key is stored) */
        ExportKey: {
            state: string;
            /** @constant */
            algorithm: "X25519";
            /** @description X25519 public key, base64 */
            publicKey: string;
            /** @description First 8 bytes of SHA-256(public key), hex (the recipient.keyId of encrypted exports) */
            keyId: string;
            /** Format: date-time */
            registeredAt: string;
        };
        /** @description Ed25519 signature (export key) over the UTF-8 bytes of the RFC 8785 canonical JSON of `bundle`; keyId = first 8 bytes of SHA-256(public key), hex */
        SignedExport: {
            bundle: {
                /** @constant */
                format: "poc-directory/export/v1";
                /** @enum {string} */
                kind: "json" | "vcard" | "csv";
                /** Format: date-time */
                generatedAt: string;
                state: string;
                /** @enum {string} */
                participation: "participating" | "withdrawn" | "not-participating";
                /** @description Why the export is empty when the state does not participate */
                notice: string | null;
                checkpoint: {
                    origin: string;
                    treeSize: number;
                    rootHash: string;
                    /** @description Signed C2SP checkpoint note */
                    note: string;
                };
                contactCount: number;
                /** @description kind json */
                states?: ({
                    state: string;
                    domains: {
                        [key: string]: {
                            [key: string]: unknown;
                        }[];
                    };
                } & {
                    [key: string]: unknown;
                })[];
                /** @description kind vcard / csv: the file */
                content?: {
                    mediaType: string;
                    filename: string;
                    text: string;
                };
            } & {
                [key: string]: unknown;
            };
            signature: {
                /** @constant */
                algorithm: "Ed25519";
                keyId: string;
                /** @description base64 Ed25519 signature */
                value: string;
            };
        };
        /** @description A SignedExport sealed to the state's registered X25519 key */
        EncryptedExport: {
            /** @constant */
            format: "poc-directory/export-encrypted/v1";
            /** @constant */
            algorithm: "X25519-XSalsa20-Poly1305-sealed-box";
            state: string;
            recipient: {
                keyId: string;
                publicKey: string;
            };
            /** @description base64 libsodium crypto_box_seal of the SignedExport JSON text */
            ciphertext: string;
        };
        /** @description What the secretariat sees: states, timestamps, status; never content */
        RequestMetadata: {
            /** Format: uuid */
            id: string;
            from: string;
            to: string;
            /** @enum {string} */
            status: "sent" | "acknowledged" | "responded" | "declined" | "closed" | "withdrawn" | "expired";
            /** @description Not acknowledged within the acknowledgement deadline of its urgency */
            overdue: boolean;
            exercise: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            acknowledgedAt: string | null;
            respondedAt: string | null;
            closedAt: string | null;
            withdrawnAt: string | null;
            expiredAt: string | null;
        };
        Request: {
            /** Format: uuid */
            id: string;
            from: string;
            to: string;
            /** @enum {string} */
            status: "sent" | "acknowledged" | "responded" | "declined" | "closed" | "withdrawn" | "expired";
            /** @description Not acknowledged within the acknowledgement deadline of its urgency */
            overdue: boolean;
            exercise: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            acknowledgedAt: string | null;
            respondedAt: string | null;
            closedAt: string | null;
            withdrawnAt: string | null;
            expiredAt: string | null;
            /** @enum {string} */
            domain: "diplomatic" | "policy" | "technical";
            /** @enum {string} */
            type: "notification" | "request-for-information" | "request-for-assistance" | "follow-up";
            /** @enum {string} */
            urgency: "routine" | "priority" | "urgent";
            /** @enum {string} */
            tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
            language: string;
            /** @description null when the author state withdrew from the directory (its data key is destroyed) */
            subject: string | null;
            incidentSummary: string | null;
            ask: string | null;
            respondBy: string | null;
            relatesTo: string | null;
            escalationLevel: number;
            responses: {
                /** @enum {string} */
                decision: "answer" | "decline";
                body: string | null;
                /** Format: date-time */
                at: string;
            }[];
            disclosure: {
                consents: {
                    party: string;
                    audience: string;
                }[];
                /** @description Audiences both parties consented to */
                effective: string[];
            };
        };
        /** @description Per-state results of a reachability check; no contact data */
        CheckReport: {
            /** Format: uuid */
            id: string;
            exercise: boolean;
            domains: ("diplomatic" | "policy" | "technical")[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            closesAt: string;
            open: boolean;
            summary: {
                states: number;
                reached: number;
                reachedInTime: number;
                reachRate: number;
                medianSeconds: number | null;
                p90Seconds: number | null;
            };
            states: {
                state: string;
                targets: number;
                acknowledged: number;
                reached: boolean;
                reachedInTime: boolean;
                /** @description Time from notification to the first acknowledgement */
                secondsToAcknowledge: number | null;
            }[];
        };
        /** @description A ledger entry, served exactly as logged (no field added or removed). Its leaf hash is SHA-256(0x00 || UTF-8 bytes of the RFC 8785 canonical JSON of this object) (RFC 9162 §2.1.1). */
        LedgerEntry: {
            /** @constant */
            v: 1;
            index: number;
            type: string;
            at: string;
            actor: {
                role: string;
                sub: string;
                state?: string;
            } & {
                [key: string]: unknown;
            };
            parties: string[];
            subject: {
                [key: string]: string;
            };
            facts?: {
                [key: string]: string | number | boolean | string[];
            };
            commitment?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description A signed checkpoint (tree head) of the ledger */
        LedgerCheckpoint: {
            /** @description The log identity: first line of the note and name of the signing key */
            origin: string;
            treeSize: number;
            /** @description RFC 9162 root hash of the first treeSize entries, hex (base64 in the note) */
            rootHash: string;
            /** @description The signed checkpoint, a C2SP signed note (c2sp.org/tlog-checkpoint, c2sp.org/signed-note): "<origin>\n<treeSize>\n<base64 root>\n", a blank line, and "— <origin> <base64(4-byte key ID || Ed25519 signature)>\n", followed by the witnesses' cosignature lines (c2sp.org/tlog-cosignature) when witnesses are configured. Verify it with the public key (and the witness keys); trust only what the note says. */
            note: string;
            /** @description When the server signed it */
            createdAt: string;
        };
        Webhook: {
            state: string;
            url: string;
            /**
             * Format: date-time
             * @description When this URL and its secret were set
             */
            setAt: string;
        };
        Participation: {
            state: string;
            /** @enum {string} */
            status: "participating" | "withdrawn" | "not-participating";
            joinedAt: string | null;
            withdrawnAt: string | null;
        };
        Proposal: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "observer-accreditation" | "observer-suspension" | "freshness-period" | "template-version" | "decision-rule";
            /** @enum {string} */
            status: "open" | "adopted" | "rejected" | "withdrawn";
            /** @description What is proposed (null when the caller may see only the outcome) */
            details: {
                [key: string]: unknown;
            } | null;
            rule: ({
                /** @constant */
                type: "consensus";
            } | {
                /** @constant */
                type: "silence";
            } | {
                /** @constant */
                type: "qualified-majority";
                threshold: number;
                quorum: number;
            } | {
                /** @constant */
                type: "threshold";
                minStates: number;
            }) | null;
            proposer: {
                role: string;
                state: string | null;
            } | null;
            electorate: string[] | null;
            /** Format: date-time */
            deadline: string;
            /** Format: date-time */
            createdAt: string;
            decidedAt: string | null;
            decision: {
                /** @enum {string} */
                outcome: "adopted" | "rejected";
                reason: string;
                tally: {
                    support: number;
                    object: number;
                    abstain: number;
                    electorate: number;
                };
            } | null;
            /** @description The current count (participating states, secretariat and auditors) */
            tally: {
                support: number;
                object: number;
                abstain: number;
                electorate: number;
            } | null;
            /** @description Each state's position (participating states, secretariat and auditors); explanations only to their own state */
            positions: {
                state: string;
                /** @enum {string} */
                position: "support" | "object" | "abstain";
                /** Format: date-time */
                castAt: string;
                explanation: string | null;
            }[] | null;
        };
        ObserverOrganization: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @enum {string} */
            category: "industry" | "academia" | "civil-society" | "international-organization";
            /** @enum {string} */
            status: "accredited" | "suspended";
            /** Format: date-time */
            accreditedAt: string;
            suspendedAt: string | null;
            /** @description Secretariat only */
            contact: {
                name: string;
                /** Format: email */
                email: string;
                phone?: string;
            } | null;
        };
        /** @description A registered user; subject, display name and nomination reference are sealed at rest */
        User: {
            /** Format: uuid */
            id: string;
            /** @description The identity provider's issuer ('' for tokens without iss) */
            issuer: string;
            subject: string;
            /** @enum {string} */
            role: "delegate" | "authority" | "secretariat" | "auditor" | "observer";
            state: string | null;
            /** @description Observers: their accredited observer organisation (GET /v1/observers); null for other roles */
            organizationId: string | null;
            displayName: string;
            nominationRef: string | null;
            /** @enum {string} */
            status: "active" | "deactivated";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            deactivatedAt: string | null;
        };
        /** @description An API key (never its secret) */
        ApiKey: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            userId: string;
            name: string;
            scopes: ("read" | "write")[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            revokedAt: string | null;
            /** @description Recorded at most once a minute */
            lastUsedAt: string | null;
        };
        /** @description Contacts grouped by state and domain; a contact serving several domains appears under each */
        Directory: {
            states: {
                state: string;
                domains: {
                    diplomatic?: components["schemas"]["Contact"][];
                    policy?: components["schemas"]["Contact"][];
                    technical?: components["schemas"]["Contact"][];
                };
            }[];
            nextCursor: string | null;
        };
        AggregateReport: {
            exercise: boolean;
            participation: {
                participatingStates: number;
                /** @description Per domain, how many participating states list at least one contact serving it */
                statesWithContactsByDomain: {
                    diplomatic: number;
                    policy: number;
                    technical: number;
                };
            };
            reachability: {
                exercise: boolean;
                /** @description Check rounds started */
                rounds: number;
                /** @description States checked, summed over the rounds */
                stateRounds: number;
                reached: number;
                /** @description reached / stateRounds (0 without rounds) */
                reachRate: number;
                /** @description Acknowledged before the round closed, / stateRounds */
                reachedInTimeRate: number;
                medianSeconds: number | null;
                p90Seconds: number | null;
            };
            requests: {
                total: number;
                byMonth: {
                    /** @description YYYY-MM (UTC) */
                    month: string;
                    requests: number;
                }[];
            };
        };
        LedgerPublicKey: {
            origin: string;
            /** @constant */
            algorithm: "Ed25519";
            /** @description Key name in signature lines (the origin) */
            keyName: string;
            /** @description SHA-256(keyName || 0x0A || 0x01 || publicKey)[:4], hex */
            keyId: string;
            /** @description The 32-byte Ed25519 public key, base64 */
            publicKey: string;
            /** @description C2SP signed-note verifier key: <keyName>+<keyId>+base64(0x01 || publicKey) */
            verifierKey: string;
        };
        LedgerInclusionProof: {
            index: number;
            treeSize: number;
            /** @description The leaf hash the tree holds for this entry */
            leafHash: string;
            /** @description RFC 9162 proof hashes, hex, in verification order */
            proof: string[];
            /** @description The latest checkpoint, when treeSize was not given */
            checkpoint?: components["schemas"]["LedgerCheckpoint"];
        };
        LedgerConsistencyProof: {
            from: number;
            to: number;
            /** @description RFC 9162 proof hashes, hex, in verification order */
            proof: string[];
        };
        LedgerWitnesses: {
            quorum: number;
            latestCheckpoint: {
                treeSize: number;
                cosignatures: number;
                witnessed: boolean;
            } | null;
            witnesses: {
                name: string;
                url: string;
                /** @description <name>+<key ID>+base64(0x04 || Ed25519 public key) (c2sp.org/tlog-cosignature) */
                verifierKey: string;
                cosignedLatest: boolean;
                cosignedSize: number | null;
                consecutiveFailures: number;
                lastAttemptAt: string | null;
                lastSuccessAt: string | null;
                lastError: string | null;
            }[];
        };
        ExportPublicKey: {
            /** @constant */
            algorithm: "Ed25519";
            /** @description First 8 bytes of SHA-256(public key), hex */
            keyId: string;
            /** @description The 32-byte Ed25519 public key, base64 (the --public-key of export:verify) */
            publicKey: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProblemType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The problem type slug, e.g. validation-error */
                type: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A short HTML page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        states: {
                            state: string;
                            /** Format: date-time */
                            joinedAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getParticipation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Participation"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    joinDirectory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        participation: components["schemas"]["Participation"];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        participation: components["schemas"]["Participation"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawFromDirectory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        participation: components["schemas"]["Participation"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStateContacts: {
        parameters: {
            query?: {
                email?: string;
                domain?: "diplomatic" | "policy" | "technical";
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Contact"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description Official position */
                    title: string;
                    /** @description Seniority level, so counterparts can match levels (e.g. "minister", "director", "senior officer") */
                    rank: string;
                    organization: string;
                    /** Format: email */
                    email: string;
                    /** @description As people write it ("+33 1 23 45 67 89", "01 23 45 67 89", "0033 1 23 45 67 89"); a number without a country code is read in the numbering plan of the contact's state. Validated for its country and stored and returned in E.164 (+33123456789) */
                    phone: string;
                    languages: string[];
                    timezone: string;
                    /** @description e.g. "24/7" or "Mon-Fri 09:00-18:00" */
                    availability: string;
                    publicKey?: string | null;
                    notes?: string | null;
                    /** @description The domains this contact serves; one contact may serve several */
                    domains: ("diplomatic" | "policy" | "technical")[];
                    /**
                     * @description confidential (default): disclosed only under the disclosure rules; public: visible to everyone, including the unauthenticated public directory
                     * @enum {string}
                     */
                    visibility?: "confidential" | "public";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["Contact"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateContact: {
        parameters: {
            query?: never;
            header?: {
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description Official position */
                    title?: string;
                    /** @description Seniority level, so counterparts can match levels (e.g. "minister", "director", "senior officer") */
                    rank?: string;
                    organization?: string;
                    /** Format: email */
                    email?: string;
                    /** @description As people write it ("+33 1 23 45 67 89", "01 23 45 67 89", "0033 1 23 45 67 89"); a number without a country code is read in the numbering plan of the contact's state. Validated for its country and stored and returned in E.164 (+33123456789) */
                    phone?: string;
                    languages?: string[];
                    timezone?: string;
                    /** @description e.g. "24/7" or "Mon-Fri 09:00-18:00" */
                    availability?: string;
                    publicKey?: string | null;
                    notes?: string | null;
                    /** @description The domains this contact serves; one contact may serve several */
                    domains?: ("diplomatic" | "policy" | "technical")[];
                    /**
                     * @description confidential (default): disclosed only under the disclosure rules; public: visible to everyone, including the unauthenticated public directory
                     * @enum {string}
                     */
                    visibility?: "confidential" | "public";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["Contact"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDirectory: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Directory"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPublicDirectory: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Directory"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "verified" | "rejected";
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["Contact"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["Contact"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    grantDisclosure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
                /** @description A state code, or '*' for every participating state */
                counterpart: "*" | string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    mode: "unilateral" | "reciprocal";
                    domains: ("diplomatic" | "policy" | "technical")[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grant: components["schemas"]["DisclosureGrant"];
                        receipt?: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grant: components["schemas"]["DisclosureGrant"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeDisclosure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
                /** @description A state code, or '*' for every participating state */
                counterpart: "*" | string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDisclosures: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        granted: components["schemas"]["DisclosureGrant"][];
                        received: components["schemas"]["DisclosureGrant"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRequests: {
        parameters: {
            query?: {
                box?: "inbox" | "outbox";
                status?: "sent" | "acknowledged" | "responded" | "declined" | "closed" | "withdrawn" | "expired";
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            from: string;
                            to: string;
                            /** @enum {string} */
                            status: "sent" | "acknowledged" | "responded" | "declined" | "closed" | "withdrawn" | "expired";
                            /** @description Not acknowledged within the acknowledgement deadline of its urgency */
                            overdue: boolean;
                            exercise: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            acknowledgedAt: string | null;
                            respondedAt: string | null;
                            closedAt: string | null;
                            withdrawnAt: string | null;
                            expiredAt: string | null;
                            /** @enum {string} */
                            domain?: "diplomatic" | "policy" | "technical";
                            /** @enum {string} */
                            type?: "notification" | "request-for-information" | "request-for-assistance" | "follow-up";
                            /** @enum {string} */
                            urgency?: "routine" | "priority" | "urgent";
                            subject?: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body return the original result */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The receiving state */
                    to: string;
                    /**
                     * @description Which of the recipient's points of contact the request is addressed to
                     * @enum {string}
                     */
                    domain: "diplomatic" | "policy" | "technical";
                    /** @enum {string} */
                    type: "notification" | "request-for-information" | "request-for-assistance" | "follow-up";
                    /** @enum {string} */
                    urgency: "routine" | "priority" | "urgent";
                    subject: string;
                    incidentSummary: string;
                    /** @description What is requested */
                    ask: string;
                    /**
                     * @description Traffic Light Protocol 2.0 handling label
                     * @enum {string}
                     */
                    tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                    /** @description Language of the free text (ISO 639-1) */
                    language: string;
                    /** Format: date-time */
                    respondBy?: string;
                    /** Format: uuid */
                    relatesTo?: string;
                    /** @description An exercise: runs the full workflow, labelled everywhere, excluded from real statistics */
                    exercise?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request: components["schemas"]["Request"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"] | components["schemas"]["RequestMetadata"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    acknowledgeRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body return the original result */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request: components["schemas"]["Request"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    respondToRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body return the original result */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "answer";
                    body: string;
                } | {
                    /** @enum {string} */
                    decision: "decline";
                    /** @description Optional: no reason is needed */
                    body?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request: components["schemas"]["Request"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    closeRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body return the original result */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request: components["schemas"]["Request"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body return the original result */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        request: components["schemas"]["Request"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    consentToRequestDisclosure: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body return the original result */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 'secretariat', 'public', or a third state's code */
                    audience: ("secretariat" | "public") | string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consents: {
                            consents: {
                                party: string;
                                audience: string;
                            }[];
                            /** @description Audiences both parties consented to */
                            effective: string[];
                        };
                        receipt: components["schemas"]["Receipt"] | null;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consents: {
                            consents: {
                                party: string;
                                audience: string;
                            }[];
                            /** @description Audiences both parties consented to */
                            effective: string[];
                        };
                        receipt: components["schemas"]["Receipt"] | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRequestTemplate: {
        parameters: {
            query?: {
                lang?: "ar" | "zh" | "en" | "fr" | "ru" | "es";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        lang: "ar" | "zh" | "en" | "fr" | "ru" | "es";
                        /** @description The template version in force (adopted by the members through governance) */
                        version: string;
                        /** @enum {string} */
                        direction: "ltr" | "rtl";
                        fields: {
                            name: string;
                            label: string;
                        }[];
                        values: {
                            [key: string]: {
                                value: string;
                                label: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listChecks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            exercise: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            closesAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startCheck: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Default: every participating state */
                    states?: string[];
                    /** @description Default: all domains */
                    domains?: ("diplomatic" | "policy" | "technical")[];
                    exercise?: boolean;
                    /** @description Acknowledgements after this are reported as late (default 24 h) */
                    windowMinutes?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        check: components["schemas"]["CheckReport"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCheck: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckReport"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    acknowledgeCheck: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    challenge: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        state: string;
                        /** Format: date-time */
                        acknowledgedAt: string;
                        secondsToAcknowledge: number;
                        late: boolean;
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReachabilityReport: {
        parameters: {
            query?: {
                /** @description false (default): real traffic only; true: exercises only */
                exercise?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        exercise: boolean;
                        rounds: number;
                        statesChecked: number;
                        stateRounds: number;
                        reached: number;
                        reachRate: number;
                        reachedInTimeRate: number;
                        medianSeconds: number | null;
                        p90Seconds: number | null;
                        perRound: {
                            states: number;
                            reached: number;
                            reachedInTime: number;
                            reachRate: number;
                            medianSeconds: number | null;
                            p90Seconds: number | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFreshnessReport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        states: {
                            state: string;
                            contacts: number;
                            verified: number;
                            pending: number;
                            rejected: number;
                            stale: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRequestsReport: {
        parameters: {
            query?: {
                /** @description false (default): real traffic only; true: exercises only */
                exercise?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        exercise: boolean;
                        requests: number;
                        byStatus: {
                            [key: string]: number;
                        };
                        byUrgency: {
                            [key: string]: number;
                        };
                        acknowledged: number;
                        medianSecondsToAcknowledge: number | null;
                        p90SecondsToAcknowledge: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAggregateReport: {
        parameters: {
            query?: {
                /** @description false (default): real traffic only; true: exercises only */
                exercise?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AggregateReport"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLedgerEntries: {
        parameters: {
            query?: {
                from?: number;
                /** @description At most 10000 for the secretariat and auditors (full verification), 1000 for delegates */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            index: number;
                            leafHash: string;
                            entry: components["schemas"]["LedgerEntry"];
                        }[];
                        /** @description Index to pass as `from` for the next page, null at the end */
                        next: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLedgerPublicKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerPublicKey"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLatestCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerCheckpoint"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerCheckpoint"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerCheckpoint"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCheckpoints: {
        parameters: {
            query?: {
                /** @description Smallest tree size */
                from?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checkpoints: components["schemas"]["LedgerCheckpoint"][];
                        /** @description Tree size to pass as `from` for the next page, null at the end */
                        next: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                size: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerCheckpoint"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInclusionProof: {
        parameters: {
            query?: {
                treeSize?: number;
            };
            header?: never;
            path: {
                index: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerInclusionProof"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConsistencyProof: {
        parameters: {
            query: {
                from: number;
                to: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerConsistencyProof"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWitnesses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerWitnesses"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTlogCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note with its cosignatures */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTlogTile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description application/octet-stream: the tile or bundle bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhook: components["schemas"]["Webhook"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhook: components["schemas"]["Webhook"];
                        /** @description Standard Webhooks signing secret ("whsec_" + base64). Shown in this response only; store it now. */
                        secret: string;
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        webhook: components["schemas"]["Webhook"];
                        /** @description Standard Webhooks signing secret ("whsec_" + base64). Shown in this response only; store it now. */
                        secret: string;
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProposals: {
        parameters: {
            query?: {
                status?: "open" | "adopted" | "rejected" | "withdrawn";
                kind?: "observer-accreditation" | "observer-suspension" | "freshness-period" | "template-version" | "decision-rule";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        proposals: components["schemas"]["Proposal"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createProposal: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "observer-accreditation";
                    /**
                     * Format: date-time
                     * @description When the proposal is decided (ISO 8601); between 1 minute and 365 days ahead
                     */
                    deadline: string;
                    organization: {
                        name: string;
                        /** @enum {string} */
                        category: "industry" | "academia" | "civil-society" | "international-organization";
                        /** @description The organisation's contact person; sealed at rest, shown only to the secretariat and the proposer */
                        contact: {
                            name: string;
                            /** Format: email */
                            email: string;
                            phone?: string;
                        };
                    };
                } | {
                    /** @enum {string} */
                    kind: "observer-suspension";
                    /**
                     * Format: date-time
                     * @description When the proposal is decided (ISO 8601); between 1 minute and 365 days ahead
                     */
                    deadline: string;
                    /** Format: uuid */
                    organizationId: string;
                } | {
                    /** @enum {string} */
                    kind: "freshness-period";
                    /**
                     * Format: date-time
                     * @description When the proposal is decided (ISO 8601); between 1 minute and 365 days ahead
                     */
                    deadline: string;
                    /** @description Days a contact stays fresh before it needs re-confirmation */
                    days: number;
                } | {
                    /** @enum {string} */
                    kind: "template-version";
                    /**
                     * Format: date-time
                     * @description When the proposal is decided (ISO 8601); between 1 minute and 365 days ahead
                     */
                    deadline: string;
                    version: string;
                    /** @description Field label overrides per UN language, e.g. {"en": {"ask": "Assistance requested"}} */
                    labels?: {
                        [key: string]: {
                            [key: string]: string;
                        };
                    };
                } | {
                    /** @enum {string} */
                    kind: "decision-rule";
                    /**
                     * Format: date-time
                     * @description When the proposal is decided (ISO 8601); between 1 minute and 365 days ahead
                     */
                    deadline: string;
                    /** @enum {string} */
                    forKind: "observer-accreditation" | "observer-suspension" | "freshness-period" | "template-version" | "decision-rule";
                    rule: {
                        /** @enum {string} */
                        type: "consensus";
                    } | {
                        /** @enum {string} */
                        type: "silence";
                    } | {
                        /** @enum {string} */
                        type: "qualified-majority";
                        threshold: number;
                        quorum: number;
                    } | {
                        /** @enum {string} */
                        type: "threshold";
                        minStates: number;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        proposal: components["schemas"]["Proposal"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProposal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Proposal"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    voteOnProposal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    position: "support" | "object" | "abstain";
                    /** @description Sealed under the voting state’s data key; the ledger holds a commitment */
                    explanation?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        proposal: components["schemas"]["Proposal"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawProposal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        proposal: components["schemas"]["Proposal"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGovernanceSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: {
                            "observer-accreditation": {
                                /** @enum {string} */
                                type: "consensus";
                            } | {
                                /** @enum {string} */
                                type: "silence";
                            } | {
                                /** @enum {string} */
                                type: "qualified-majority";
                                threshold: number;
                                quorum: number;
                            } | {
                                /** @enum {string} */
                                type: "threshold";
                                minStates: number;
                            };
                            "observer-suspension": {
                                /** @enum {string} */
                                type: "consensus";
                            } | {
                                /** @enum {string} */
                                type: "silence";
                            } | {
                                /** @enum {string} */
                                type: "qualified-majority";
                                threshold: number;
                                quorum: number;
                            } | {
                                /** @enum {string} */
                                type: "threshold";
                                minStates: number;
                            };
                            "freshness-period": {
                                /** @enum {string} */
                                type: "consensus";
                            } | {
                                /** @enum {string} */
                                type: "silence";
                            } | {
                                /** @enum {string} */
                                type: "qualified-majority";
                                threshold: number;
                                quorum: number;
                            } | {
                                /** @enum {string} */
                                type: "threshold";
                                minStates: number;
                            };
                            "template-version": {
                                /** @enum {string} */
                                type: "consensus";
                            } | {
                                /** @enum {string} */
                                type: "silence";
                            } | {
                                /** @enum {string} */
                                type: "qualified-majority";
                                threshold: number;
                                quorum: number;
                            } | {
                                /** @enum {string} */
                                type: "threshold";
                                minStates: number;
                            };
                            "decision-rule": {
                                /** @enum {string} */
                                type: "consensus";
                            } | {
                                /** @enum {string} */
                                type: "silence";
                            } | {
                                /** @enum {string} */
                                type: "qualified-majority";
                                threshold: number;
                                quorum: number;
                            } | {
                                /** @enum {string} */
                                type: "threshold";
                                minStates: number;
                            };
                        };
                        freshnessDays: number;
                        templateVersion: {
                            version: string;
                            labels: {
                                [key: string]: {
                                    [key: string]: string;
                                };
                            };
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listObservers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        observers: components["schemas"]["ObserverOrganization"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExportPublicKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportPublicKey"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportDirectory: {
        parameters: {
            query?: {
                /** @description json: signed bundle grouped by state and domain; vcard: vCard 4.0 file; csv: CSV with a header. All three come in the same signed wrapper. */
                format?: "json" | "vcard" | "csv";
            };
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignedExport"] | components["schemas"]["EncryptedExport"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExportKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        exportKey: components["schemas"]["ExportKey"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setExportKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Only X25519 (libsodium sealed box) is supported
                     * @enum {string}
                     */
                    algorithm?: "X25519";
                    /** @description The recipient X25519 public key: 32 bytes, base64 */
                    publicKey: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        exportKey: components["schemas"]["ExportKey"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        exportKey: components["schemas"]["ExportKey"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteExportKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["User"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The identity provider's subject (or an email) */
                    subject: string;
                    /** @description Default: JWT_ISSUER */
                    issuer?: string;
                    /** @enum {string} */
                    role: "delegate" | "authority" | "secretariat" | "auditor" | "observer";
                    /** @description Required for delegate and authority, absent otherwise */
                    state?: string;
                    /**
                     * Format: uuid
                     * @description Required for observer (an accredited organisation, GET /v1/observers), absent otherwise
                     */
                    organizationId?: string;
                    displayName: string;
                    /** @description e.g. the note verbale's reference */
                    nominationRef?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deactivateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "delegate" | "authority" | "secretariat" | "auditor" | "observer";
                    state?: string | null;
                    /** @description An observer's organisation (must be accredited); null when the role changes away from observer */
                    organizationId?: string | null;
                    displayName?: string;
                    nominationRef?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    scopes: ("read" | "write")[];
                    /**
                     * Format: date-time
                     * @description At most one year from now
                     */
                    expiresAt: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apiKey: components["schemas"]["ApiKey"];
                        /** @description Use as "Authorization: Bearer pocdir_…". Shown in this response only; only its hash is stored. */
                        secret: string;
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apiKey: components["schemas"]["ApiKey"];
                        receipt: components["schemas"]["Receipt"];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatePolicy"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setStatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    dualControl: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        policy: components["schemas"]["StatePolicy"];
                        receipt: components["schemas"]["Receipt"] | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPendingChanges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["PendingChange"][];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPendingChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PendingChange"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    approvePendingChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                        /** @description What applying the change returned */
                        result?: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rejectPendingChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pendingChange: components["schemas"]["PendingChange"];
                        receipt: components["schemas"]["Receipt"];
                        /** @description What applying the change returned */
                        result?: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
