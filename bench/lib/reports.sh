# bench/lib/reports.sh — the sales-report row of bench/run (sourced, not run).
#
#   reports_row DIR
#
# Times `GET /reports/sales?group_by=day` for the last full calendar month (cinema time) over REPORT_BOOKINGS
# (1,000,000) synthetic paid bookings, in a database of its own, so the rows of the main database stay as they
# were: a new SQLite file next to the main one, or a new database `bx_reports` on the same PostgreSQL server. The
# database is seeded with the demo cinema (`seed-demo`), then filled by reports_seed with one set-based INSERT …
# SELECT per table (a recursive CTE on SQLite, generate_series on PostgreSQL), never row by row; a server of its own
# is started on it, and wrk measures the report with ONE connection, so p50 is the time of one report, not a queue.
#
# The synthetic history spreads the bookings evenly over the REPORT_DAYS (365) days before now: show j of the
# 300-seat screen (movies in turn) holds bookings j × 300 … j × 300 + 299, one seat each; booking k is paid
# 1 to 20 hours before its show (payments.completed_at), every 3rd with food, every 7th with a ₹10 discount, and
# every 20th is refunded in full an hour after it was paid (a COMPLETED refund; the booking CANCELLED).
#
# Ids are deterministic: on SQLite uppercase text UUIDs as Fluent writes them (5C… shows, CB… bookings, C5… booking
# seats, CC… payments, CD… refunds, with the number in the last group); on PostgreSQL md5('rx-…' || number)::uuid.

# reports_seed BACKEND URL COUNT DAYS — prints what it inserted.
reports_seed() {
    local backend=$1 url=$2 count=$3 days=$4 now start
    now=$(date +%s)
    start=$((now - days * 86400))
    case $backend in
    sqlite) _reports_sqlite "${url#sqlite://}" "$count" "$days" "$start" ;;
    postgres) _reports_postgres "$url" "$count" "$days" "$start" ;;
    *) echo "reports_seed: unknown backend $backend" >&2; return 2 ;;
    esac
}

_reports_sqlite() {
    local db=$1 count=$2 days=$3 start=$4
    sqlite3 -bail "$db" <<SQL
.timeout 60000
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
CREATE TEMP TABLE rx_screen AS SELECT screen_id AS id FROM seats WHERE retired_at IS NULL
    GROUP BY screen_id ORDER BY count(*) DESC LIMIT 1;
CREATE TEMP TABLE rx_seat (idx INTEGER PRIMARY KEY, id TEXT, label TEXT, category_id TEXT, category_name TEXT, price INTEGER);
INSERT INTO rx_seat
    SELECT row_number() OVER (ORDER BY s.row_label, s.column_number) - 1, s.id, s.label, s.category_id, c.name,
           c.base_price_minor
    FROM seats s JOIN seat_categories c ON c.id = s.category_id
    WHERE s.screen_id = (SELECT id FROM rx_screen) AND s.retired_at IS NULL;
CREATE TEMP TABLE rx_user (idx INTEGER PRIMARY KEY, id TEXT);
INSERT INTO rx_user SELECT row_number() OVER (ORDER BY id) - 1, id FROM users WHERE role = 'user';
CREATE TEMP TABLE rx_movie (idx INTEGER PRIMARY KEY, id TEXT);
INSERT INTO rx_movie SELECT row_number() OVER (ORDER BY id) - 1, id FROM movies;
CREATE TEMP TABLE rx_n AS SELECT (SELECT count(*) FROM rx_seat) AS seats, (SELECT count(*) FROM rx_user) AS users,
    (SELECT count(*) FROM rx_movie) AS movies;
CREATE TEMP TABLE rx_step AS SELECT $days * 86400 / (($count + seats - 1) / seats) AS step FROM rx_n;

WITH RECURSIVE j(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM j WHERE j + 1 <= ($count - 1) / (SELECT seats FROM rx_n))
INSERT INTO shows (id, movie_id, screen_id, starts_at, ends_at, show_date, show_time, language, format, status,
                   cancelled_at, cancel_reason, created_at, updated_at)
SELECT printf('5C000000-0000-4000-8000-%012X', j), m.id, (SELECT id FROM rx_screen), $start + (j + 1) * t.step,
       $start + (j + 1) * t.step + 9000,
       date($start + (j + 1) * t.step, 'unixepoch', '+330 minutes'),
       strftime('%H:%M', $start + (j + 1) * t.step, 'unixepoch', '+330 minutes'),
       'Hindi', '2D', 'SCHEDULED', NULL, NULL, $start - 86400, $start - 86400
FROM j, rx_n x, rx_step t JOIN rx_movie m ON m.idx = j % x.movies;

CREATE TEMP TABLE rx_b AS
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < $count)
SELECT k, k / x.seats AS j, s.idx AS seat, u.id AS user_id, s.price AS p,
       CASE WHEN k % 3 = 0 THEN 25000 ELSE 0 END AS f, CASE WHEN k % 7 = 0 THEN 1000 ELSE 0 END AS d,
       $start + (k / x.seats + 1) * t.step - 3600 * (1 + k % 20) AS paid_at, k % 20 = 19 AS refunded
FROM n, rx_n x, rx_step t JOIN rx_seat s ON s.idx = n.k % x.seats JOIN rx_user u ON u.idx = n.k % x.users;

INSERT INTO bookings (id, reference, user_id, show_id, status, promo_code, discount_id, seats_subtotal_minor,
                      food_subtotal_minor, subtotal_minor, discount_minor, taxable_minor, cgst_minor, sgst_minor,
                      total_minor, currency, payment_due_by, created_at, updated_at)
SELECT printf('CB000000-0000-4000-8000-%012X', k), printf('RPT-%09d', k), user_id,
       printf('5C000000-0000-4000-8000-%012X', j), CASE WHEN refunded THEN 'CANCELLED' ELSE 'CONFIRMED' END, NULL,
       NULL, p, f, p + f, d, p + f - d, (p + f - d) * 9 / 100, (p + f - d) * 9 / 100,
       p + f - d + 2 * ((p + f - d) * 9 / 100), 'INR', paid_at + 600, paid_at - 300, paid_at
FROM rx_b;

INSERT INTO booking_seats (id, booking_id, show_id, seat_id, seat_label, category_id, category_name, price_minor,
                           discount_minor, cgst_bp, sgst_bp, cgst_minor, sgst_minor, is_active)
SELECT printf('C5000000-0000-4000-8000-%012X', k), printf('CB000000-0000-4000-8000-%012X', k),
       printf('5C000000-0000-4000-8000-%012X', j), s.id, s.label, s.category_id, s.category_name, p, 0, 900, 900,
       p * 9 / 100, p * 9 / 100, CASE WHEN refunded THEN 0 ELSE 1 END
FROM rx_b JOIN rx_seat s ON s.idx = rx_b.seat;

INSERT INTO payments (id, booking_id, user_id, amount_minor, currency, method, gateway, gateway_payment_id, status,
                      refunded_minor, failure_reason, completed_at, created_at, updated_at)
SELECT printf('CC000000-0000-4000-8000-%012X', k), printf('CB000000-0000-4000-8000-%012X', k), user_id,
       p + f - d + 2 * ((p + f - d) * 9 / 100), 'INR', 'upi', 'simulator', printf('syn_pay_%d', k), 'COMPLETED',
       CASE WHEN refunded THEN p + f - d + 2 * ((p + f - d) * 9 / 100) ELSE 0 END, NULL, paid_at, paid_at - 120,
       paid_at
FROM rx_b;

INSERT INTO refunds (id, payment_id, amount_minor, reason, actor, actor_id, gateway_refund_id, created_at, status,
                     attempts, next_attempt_at, last_error, completed_at)
SELECT printf('CD000000-0000-4000-8000-%012X', k), printf('CC000000-0000-4000-8000-%012X', k),
       p + f - d + 2 * ((p + f - d) * 9 / 100), 'Customer cancellation, 100 % refund', 'user', user_id,
       printf('syn_ref_%d', k), paid_at + 3600, 'COMPLETED', 1, NULL, NULL, paid_at + 3600
FROM rx_b WHERE refunded;
COMMIT;
SELECT 'bookings ' || (SELECT count(*) FROM bookings) || ', payments ' || (SELECT count(*) FROM payments)
       || ', refunds ' || (SELECT count(*) FROM refunds) || ', shows ' || (SELECT count(*) FROM shows);
SQL
}

_reports_postgres() {
    local url=$1 count=$2 days=$3 start=$4
    psql -X -q -v ON_ERROR_STOP=1 -At "$url" <<SQL
BEGIN;
CREATE TEMP TABLE rx_screen AS SELECT screen_id AS id FROM seats WHERE retired_at IS NULL
    GROUP BY screen_id ORDER BY count(*) DESC LIMIT 1;
CREATE TEMP TABLE rx_seat AS
    SELECT (row_number() OVER (ORDER BY s.row_label, s.column_number) - 1)::bigint AS idx, s.id, s.label,
           s.category_id, c.name AS category_name, c.base_price_minor AS price
    FROM seats s JOIN seat_categories c ON c.id = s.category_id
    WHERE s.screen_id = (SELECT id FROM rx_screen) AND s.retired_at IS NULL;
CREATE UNIQUE INDEX ON rx_seat (idx);
CREATE TEMP TABLE rx_user AS SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS idx, id FROM users WHERE role = 'user';
CREATE UNIQUE INDEX ON rx_user (idx);
CREATE TEMP TABLE rx_movie AS SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS idx, id FROM movies;
CREATE TEMP TABLE rx_n AS SELECT (SELECT count(*) FROM rx_seat) AS seats, (SELECT count(*) FROM rx_user) AS users,
    (SELECT count(*) FROM rx_movie) AS movies;
CREATE TEMP TABLE rx_step AS SELECT $days::bigint * 86400 / (($count + seats - 1) / seats) AS step FROM rx_n;

INSERT INTO shows (id, movie_id, screen_id, starts_at, ends_at, show_date, show_time, language, format, status,
                   cancelled_at, cancel_reason, created_at, updated_at)
SELECT md5('rx-show-' || j)::uuid, m.id, (SELECT id FROM rx_screen), to_timestamp($start + (j + 1) * t.step),
       to_timestamp($start + (j + 1) * t.step + 9000),
       to_char(to_timestamp($start + (j + 1) * t.step) AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD'),
       to_char(to_timestamp($start + (j + 1) * t.step) AT TIME ZONE 'Asia/Kolkata', 'HH24:MI'),
       'Hindi', '2D', 'SCHEDULED', NULL, NULL, to_timestamp($start - 86400), to_timestamp($start - 86400)
FROM rx_n x, rx_step t, generate_series(0::bigint, ($count - 1) / x.seats) j JOIN rx_movie m ON m.idx = j % (SELECT movies FROM rx_n);

CREATE TEMP TABLE rx_b AS
SELECT k, k / x.seats AS j, k % x.seats AS seat, u.id AS user_id, s.price AS p,
       CASE WHEN k % 3 = 0 THEN 25000 ELSE 0 END AS f, CASE WHEN k % 7 = 0 THEN 1000 ELSE 0 END AS d,
       to_timestamp($start + (k / x.seats + 1) * t.step - 3600 * (1 + k % 20)) AS paid_at, k % 20 = 19 AS refunded
FROM rx_n x, rx_step t, generate_series(0::bigint, $count - 1) k
JOIN rx_seat s ON s.idx = k % (SELECT seats FROM rx_n) JOIN rx_user u ON u.idx = k % (SELECT users FROM rx_n);

INSERT INTO bookings (id, reference, user_id, show_id, status, promo_code, discount_id, seats_subtotal_minor,
                      food_subtotal_minor, subtotal_minor, discount_minor, taxable_minor, cgst_minor, sgst_minor,
                      total_minor, currency, payment_due_by, created_at, updated_at)
SELECT md5('rx-booking-' || k)::uuid, 'RPT-' || lpad(k::text, 9, '0'), user_id, md5('rx-show-' || j)::uuid,
       CASE WHEN refunded THEN 'CANCELLED' ELSE 'CONFIRMED' END, NULL, NULL, p, f, p + f, d, p + f - d,
       (p + f - d) * 9 / 100, (p + f - d) * 9 / 100, p + f - d + 2 * ((p + f - d) * 9 / 100), 'INR',
       paid_at + interval '10 minutes', paid_at - interval '5 minutes', paid_at
FROM rx_b;

INSERT INTO booking_seats (id, booking_id, show_id, seat_id, seat_label, category_id, category_name, price_minor,
                           discount_minor, cgst_bp, sgst_bp, cgst_minor, sgst_minor, is_active)
SELECT md5('rx-seat-' || k)::uuid, md5('rx-booking-' || k)::uuid, md5('rx-show-' || j)::uuid, s.id, s.label,
       s.category_id, s.category_name, p, 0, 900, 900, p * 9 / 100, p * 9 / 100, NOT refunded
FROM rx_b JOIN rx_seat s ON s.idx = rx_b.seat;

INSERT INTO payments (id, booking_id, user_id, amount_minor, currency, method, gateway, gateway_payment_id, status,
                      refunded_minor, failure_reason, completed_at, created_at, updated_at)
SELECT md5('rx-pay-' || k)::uuid, md5('rx-booking-' || k)::uuid, user_id, p + f - d + 2 * ((p + f - d) * 9 / 100),
       'INR', 'upi', 'simulator', 'syn_pay_' || k, 'COMPLETED',
       CASE WHEN refunded THEN p + f - d + 2 * ((p + f - d) * 9 / 100) ELSE 0 END, NULL, paid_at,
       paid_at - interval '2 minutes', paid_at
FROM rx_b;

INSERT INTO refunds (id, payment_id, amount_minor, reason, actor, actor_id, gateway_refund_id, created_at, status,
                     attempts, next_attempt_at, last_error, completed_at)
SELECT md5('rx-refund-' || k)::uuid, md5('rx-pay-' || k)::uuid, p + f - d + 2 * ((p + f - d) * 9 / 100),
       'Customer cancellation, 100 % refund', 'user', user_id, 'syn_ref_' || k, paid_at + interval '1 hour',
       'COMPLETED', 1, NULL, NULL, paid_at + interval '1 hour'
FROM rx_b WHERE refunded;
COMMIT;
ANALYZE shows;
ANALYZE bookings;
ANALYZE booking_seats;
ANALYZE payments;
ANALYZE refunds;
SELECT 'bookings ' || (SELECT count(*) FROM bookings) || ', payments ' || (SELECT count(*) FROM payments)
       || ', refunds ' || (SELECT count(*) FROM refunds) || ', shows ' || (SELECT count(*) FROM shows);
SQL
}

# reports_month — the last full calendar month in cinema time: "YYYY-MM-DD YYYY-MM-DD".
reports_month() {
    python3 - <<'PY'
import datetime
try:
    from zoneinfo import ZoneInfo
    today = datetime.datetime.now(ZoneInfo("Asia/Kolkata")).date()
except Exception:  # no tz database: Asia/Kolkata is UTC+05:30 all year
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=5, minutes=30)).date()
last = today.replace(day=1) - datetime.timedelta(days=1)
print(last.replace(day=1).isoformat(), last.isoformat())
PY
}

# reports_row DIR — the whole row for the current BACKEND: database, seed, server, wrk, cleanup.
reports_row() {
    local dir=$1 url main_url=$DATABASE_URL t0 out token from to label bookings
    label=$(count_label "$REPORT_BOOKINGS")
    case $BACKEND in
    sqlite) url="sqlite://$dir/reports.sqlite" ;;
    postgres)
        psql -X -q -v ON_ERROR_STOP=1 "$main_url" -c "DROP DATABASE IF EXISTS bx_reports" -c "CREATE DATABASE bx_reports" ||
            die "could not create the reports database"
        url="${main_url%/*}/bx_reports"
        ;;
    esac
    blog "reports: seeding the demo and $label synthetic paid bookings into a database of their own"
    t0=$(date +%s%N)
    DATABASE_URL=$url "$BIN" seed-demo --env production >"$dir/reports-seed.log" 2>&1 ||
        { cat "$dir/reports-seed.log" >&2; die "seed-demo failed on the reports database"; }
    out=$(reports_seed "$BACKEND" "$url" "$REPORT_BOOKINGS" "$REPORT_DAYS") || die "seeding the report bookings failed"
    read -r from to < <(reports_month)
    fact report_seed "$label synthetic paid bookings (1 seat each, a third with food, 5 % refunded) over the $REPORT_DAYS days before the run, in a database of their own, seeded in $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s (now ${out}); the report covers $from … $to."
    export DATABASE_URL=$url
    start_server "$dir/reports-server.log"
    export DATABASE_URL=$main_url
    token=$(curl -fsS -X POST "$APP/users/login" -H 'Content-Type: application/json' \
        -d '{"email": "admin@boxoffice.local", "password": "admin-demo-password"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') || die "the admin could not log in"
    bookings=$(curl -fsS "$APP/reports/sales?from=$from&to=$to&group_by=day" -H "Authorization: Bearer $token" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["bookings"])') || die "the sales report failed"
    wrk_row reports "sales report, month over $label bookings" "$APP/reports/sales?from=$from&to=$to&group_by=day" \
        --connections 1 --header "Authorization: Bearer $token" \
        --note "GET /reports/sales?group_by=day for $from … $to ($(commas "$bookings") paid bookings in the month, $label in the database), one connection: p50 is the time of one report"
    stop_server
    if [[ $BACKEND == postgres ]]; then
        psql -X -q "$main_url" -c "DROP DATABASE IF EXISTS bx_reports WITH (FORCE)" >/dev/null || true
    else
        rm -f "$dir/reports.sqlite" "$dir/reports.sqlite-wal" "$dir/reports.sqlite-shm"
    fi
}
