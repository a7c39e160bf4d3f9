extension EnvironmentReader {
    /// `RATE_LIMIT_*`, each `count/seconds`. `LOGIN_RATE_LIMIT_PER_MINUTE=N`, the older spelling of
    /// `RATE_LIMIT_LOGIN=N/60`, is still read; setting both is refused rather than guessed.
    mutating func rateLimits() -> RateLimits {
        var limits = RateLimits()
        for scope in RateLimitScope.allCases {
            let parsed = optional(
                scope.environmentKey,
                expected: "count/seconds such as \(scope.defaultLimit) (count 1–\(RateLimit.maxCount), "
                    + "seconds 1–\(RateLimit.maxSeconds))",
                RateLimit.init)
            if let parsed { limits[scope] = parsed }
        }
        if value("LOGIN_RATE_LIMIT_PER_MINUTE") != nil {
            if value(RateLimitScope.login.environmentKey) != nil {
                problem("LOGIN_RATE_LIMIT_PER_MINUTE and RATE_LIMIT_LOGIN are both set: keep only RATE_LIMIT_LOGIN")
            } else {
                limits[.login] = RateLimit(int("LOGIN_RATE_LIMIT_PER_MINUTE", default: 10, in: 1...10_000), per: 60)
            }
        }
        return limits
    }

    /// `TRUSTED_PROXIES`: comma-separated addresses or CIDR blocks, IPv4 or IPv6. Every bad entry is named.
    mutating func trustedProxies() -> [IPNetwork] {
        var networks: [IPNetwork] = []
        for entry in list("TRUSTED_PROXIES") {
            guard let network = IPNetwork(entry) else {
                problem(
                    "TRUSTED_PROXIES entry \"\(entry.prefix(60))\" is not valid: expected an IP address or a CIDR "
                        + "block such as 10.0.0.0/8 or 2001:db8::/32")
                continue
            }
            networks.append(network)
        }
        return networks
    }
}
