/// Fixed name lists used to tell domain names and blocklist zones from
/// other dotted words.
extension ReplyEntityExtractor {
    static let knownZones: Set<String> = [
        "zen.spamhaus.org", "sbl.spamhaus.org", "xbl.spamhaus.org", "pbl.spamhaus.org", "sbl-xbl.spamhaus.org",
        "dbl.spamhaus.org", "zrd.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "bb.barracudacentral.org",
        "psbl.surriel.com", "bl.mailspike.net", "z.mailspike.net", "dnsbl-1.uceprotect.net", "dnsbl-2.uceprotect.net",
        "dnsbl-3.uceprotect.net", "dnsbl.sorbs.net", "spam.rbl.blockedservers.com", "hostkarma.junkemailfilter.com",
        "bl.spameatingmonkey.net", "ix.dnsbl.manitu.net", "dnsbl.invaluement.com", "multi.surbl.org", "multi.uribl.com",
        "black.uribl.com", "cbl.abuseat.org", "truncate.gbudb.net", "bl.score.senderscore.com", "dnsbl.dronebl.org",
        "rbl.interserver.net", "db.wpbl.info", "ubl.unsubscore.com", "dnsbl.spfbl.net", "all.s5h.net",
    ]

    /// Names under these are zones (Spamhaus's sub-lists and DQS keys,
    /// SORBS, SpamRATS, UCEPROTECT levels).
    static let zoneSuffixes: [String] = [
        ".spamhaus.org", ".spamhaus.net", ".dnsbl.sorbs.net", ".spamrats.com", ".uceprotect.net",
    ]

    static let genericTLDs: Set<String> = Set([
        "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi", "asia", "tel", "travel",
        "museum", "aero", "coop", "jobs", "cat", "arpa", "app", "dev", "cloud", "email", "online", "site", "xyz", "top",
        "shop", "store", "tech", "io", "ai", "co", "me", "tv", "news", "blog", "live", "life", "world", "today", "space",
        "website", "club", "agency", "digital", "network", "systems", "solutions", "services", "company", "group",
        "global", "media", "studio", "design", "works", "mail", "page", "link", "click", "one", "host", "center",
        "support", "software", "academy", "church", "health", "bank", "insurance", "legal", "law", "finance", "money",
        "capital", "consulting", "marketing", "team", "zone", "guru", "expert", "social", "tools", "run",
        "berlin", "london", "paris", "nyc", "tokyo", "swiss", "wien", "koeln", "hamburg", "bayern", "moe", "ninja",
        "google", "microsoft", "amazon", "apple", "yahoo", "icu", "vip", "win", "bid", "loan", "work", "men", "date",
        "review", "party", "science", "trade", "stream", "download", "racing", "accountant", "cricket", "faith",
    ])

    static let countryCodes: Set<String> = Set("""
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ca cc cd cf \
    cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gd ge gf gg \
    gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn \
    kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na \
    nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh \
    si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve \
    vg vi vn vu wf ws ye yt za zm zw
    """.split(separator: " ").map { String($0) })
}
