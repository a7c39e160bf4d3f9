import RESP

extension RedisSeatHoldStore {
    enum Scripts {
        /// KEYS: hold, show set, expiry set, user-at-show set, seat…; ARGV: hold id, ttl ms, payload, expiry-set
        /// member, the show's hold key prefix, seat limit. Returns `{"over_limit", held}` when the user's live holds
        /// at the show plus these seats pass the limit, else the seat keys that are taken (nothing is written then),
        /// else an empty array. The user's holds are read by keys built from the prefix: the show's slot.
        static let place = RedisScript(
            """
            local held = 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do
              local payload = redis.call('GET', ARGV[5] .. id)
              if payload then held = held + #cjson.decode(payload)['seatIds'] else redis.call('SREM', KEYS[4], id) end
            end
            if held + (#KEYS - 4) > tonumber(ARGV[6]) then return {'over_limit', held} end
            local taken = {}
            for i = 5, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 1 then taken[#taken + 1] = KEYS[i] end
            end
            if #taken > 0 then return taken end
            for i = 5, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[1])
            local now = redis.call('TIME')
            redis.call('ZADD', KEYS[3], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]), ARGV[4])
            redis.call('SADD', KEYS[4], ARGV[1])
            return {}
            """)

        /// KEYS: hold, expiry set, seat…; ARGV: hold id, ttl ms, payload, expiry-set member. 1 if the hold was live.
        static let extend = RedisScript(
            """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            for i = 3, #KEYS do
              if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
            end
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
            local now = redis.call('TIME')
            redis.call('ZADD', KEYS[2], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]), ARGV[4])
            return 1
            """)

        /// KEYS: as `place`; ARGV: hold id, expiry-set member. 1 if the hold was live.
        static let release = RedisScript(
            """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            for i = 5, #KEYS do
              if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
            end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[2], ARGV[1])
            redis.call('ZREM', KEYS[3], ARGV[2])
            redis.call('SREM', KEYS[4], ARGV[1])
            return 1
            """)

        /// KEYS: one show's expiry set, its hold set; ARGV: its hold key prefix, its user-at-show key prefix, at most
        /// how many. Returns the count left in the expiry set, then the entries due by Redis's clock whose hold key is
        /// gone: each is removed from the show's indexes (an entry due whose key still lives, a millisecond behind,
        /// waits for the next sweep).
        static let sweep = RedisScript(
            """
            local now = redis.call('TIME')
            local due = redis.call(
              'ZRANGEBYSCORE', KEYS[1], '-inf', now[1] * 1000 + math.floor(now[2] / 1000),
              'LIMIT', 0, tonumber(ARGV[3]))
            local gone = {0}
            for _, entry in ipairs(due) do
              local id, user = string.match(entry, '^([^|]+)|[^|]+|([^|]+)|')
              if not id then
                redis.call('ZREM', KEYS[1], entry)
              elseif redis.call('EXISTS', ARGV[1] .. id) == 0 then
                redis.call('ZREM', KEYS[1], entry)
                redis.call('SREM', KEYS[2], id)
                redis.call('SREM', ARGV[2] .. user, id)
                gone[#gone + 1] = entry
              end
            end
            gone[1] = redis.call('ZCARD', KEYS[1])
            return gone
            """)
    }
}
