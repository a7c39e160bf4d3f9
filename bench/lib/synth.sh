# bench/lib/synth.sh — synthetic booking history for the scale rows of bench/run (sourced, not run).
#
#   synth_bookings BACKEND DATABASE_URL FROM TO META_JSON
#
# Inserts bookings number FROM … TO-1 (so 0→1,000, then 1,000→100,000, then 100,000→1,000,000) straight into
# the database in one transaction per call: one `bookings` row and one `booking_seats` row each, on past shows
# of the 300-seat IMAX screen (the screen of the show the scale rows measure). Those shows are synthetic too:
# show j starts (j + 2) × 4 hours before now and holds bookings j × SEATS … (j + 1) × SEATS - 1, one per seat, so
# (show_id, seat_id) never repeats and the partial unique index uq_booking_seats_active holds; the measured show
# (tomorrow) and every other real show keep all their seats. Every 10th booking is CANCELLED (is_active false),
# the rest CONFIRMED; users rotate over the customers (role `user`: the bench users and Asha). Foreign keys are
# checked as usual. Rows come from one set-based INSERT … SELECT (a recursive CTE on SQLite, generate_series on
# PostgreSQL), never row by row. On PostgreSQL the touched tables are ANALYZEd afterwards, as autovacuum would
# soon do on a real server; SQLite gets no ANALYZE since the server never runs one.
#
# Ids are deterministic: on SQLite uppercase text UUIDs as Fluent writes them (5B… shows, BB… bookings, B5… booking
# seats, with the number in the last group); on PostgreSQL md5('bx-…' || number)::uuid.

# _synth_sqlite_path URL — the file of a sqlite:// URL.
_synth_sqlite_path() {
    local url=$1
    url=${url#sqlite://}
    printf '%s\n' "$url"
}

synth_bookings() {
    local backend=$1 url=$2 from=$3 to=$4 meta=$5 now screen show
    now=$(date +%s)
    screen=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["imax_screen"])' "$meta")
    show=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["imax_show"])' "$meta")
    case $backend in
    sqlite) _synth_sqlite "$(_synth_sqlite_path "$url")" "$from" "$to" "$now" "$screen" "$show" ;;
    postgres) _synth_postgres "$url" "$from" "$to" "$now" "$screen" "$show" ;;
    *) echo "synth_bookings: unknown backend $backend" >&2; return 2 ;;
    esac
}

_synth_sqlite() {
    local db=$1 from=$2 to=$3 now=$4 screen=$5 show=$6
    sqlite3 -bail "$db" <<SQL
.timeout 60000
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
CREATE TEMP TABLE bx_seat (idx INTEGER PRIMARY KEY, id TEXT, label TEXT, category_id TEXT, category_name TEXT, price INTEGER);
INSERT INTO bx_seat
    SELECT row_number() OVER (ORDER BY s.row_label, s.column_number) - 1, s.id, s.label, s.category_id, c.name,
           c.base_price_minor
    FROM seats s JOIN seat_categories c ON c.id = s.category_id
    WHERE s.screen_id = '$screen' AND s.retired_at IS NULL;
CREATE TEMP TABLE bx_user (idx INTEGER PRIMARY KEY, id TEXT);
INSERT INTO bx_user SELECT row_number() OVER (ORDER BY id) - 1, id FROM users WHERE role = 'user';
CREATE TEMP TABLE bx_n AS SELECT (SELECT count(*) FROM bx_seat) AS seats, (SELECT count(*) FROM bx_user) AS users;
CREATE TEMP TABLE bx_like AS SELECT movie_id, language, format FROM shows WHERE id = '$show';

WITH RECURSIVE j(j) AS (
    SELECT $from / (SELECT seats FROM bx_n)
    UNION ALL SELECT j + 1 FROM j WHERE j + 1 <= ($to - 1) / (SELECT seats FROM bx_n)
)
INSERT OR IGNORE INTO shows (id, movie_id, screen_id, starts_at, ends_at, show_date, show_time, language, format,
                             status, cancelled_at, cancel_reason, created_at, updated_at)
SELECT printf('5B000000-0000-4000-8000-%012X', j), l.movie_id, '$screen', $now - (j + 2) * 14400,
       $now - (j + 2) * 14400 + 10800,
       date($now - (j + 2) * 14400, 'unixepoch', '+330 minutes'),
       strftime('%H:%M', $now - (j + 2) * 14400, 'unixepoch', '+330 minutes'),
       l.language, l.format, 'SCHEDULED', NULL, NULL, $now - (j + 2) * 14400 - 2592000,
       $now - (j + 2) * 14400 - 2592000
FROM j, bx_like l;

WITH RECURSIVE n(k) AS (SELECT $from UNION ALL SELECT k + 1 FROM n WHERE k + 1 < $to)
INSERT INTO bookings (id, reference, user_id, show_id, status, promo_code, discount_id, seats_subtotal_minor,
                      food_subtotal_minor, subtotal_minor, discount_minor, taxable_minor, cgst_minor, sgst_minor,
                      total_minor, currency, payment_due_by, created_at, updated_at)
SELECT printf('BB000000-0000-4000-8000-%012X', k), printf('SYN-%09d', k), u.id,
       printf('5B000000-0000-4000-8000-%012X', k / x.seats),
       CASE WHEN k % 10 = 9 THEN 'CANCELLED' ELSE 'CONFIRMED' END, NULL, NULL,
       s.price, 0, s.price, 0, s.price, s.price * 9 / 100, s.price * 9 / 100, s.price + 2 * (s.price * 9 / 100),
       'INR', $now - (k / x.seats + 2) * 14400 - 86400 + 900, $now - (k / x.seats + 2) * 14400 - 86400,
       $now - (k / x.seats + 2) * 14400 - 86400
FROM n, bx_n x JOIN bx_seat s ON s.idx = n.k % x.seats JOIN bx_user u ON u.idx = n.k % x.users;

WITH RECURSIVE n(k) AS (SELECT $from UNION ALL SELECT k + 1 FROM n WHERE k + 1 < $to)
INSERT INTO booking_seats (id, booking_id, show_id, seat_id, seat_label, category_id, category_name, price_minor,
                           discount_minor, cgst_bp, sgst_bp, cgst_minor, sgst_minor, is_active)
SELECT printf('B5000000-0000-4000-8000-%012X', k), printf('BB000000-0000-4000-8000-%012X', k),
       printf('5B000000-0000-4000-8000-%012X', k / x.seats), s.id, s.label, s.category_id, s.category_name,
       s.price, 0, 900, 900, s.price * 9 / 100, s.price * 9 / 100, CASE WHEN k % 10 = 9 THEN 0 ELSE 1 END
FROM n, bx_n x JOIN bx_seat s ON s.idx = n.k % x.seats;
COMMIT;
SELECT 'bookings ' || (SELECT count(*) FROM bookings) || ', booking_seats ' || (SELECT count(*) FROM booking_seats)
       || ', shows ' || (SELECT count(*) FROM shows);
SQL
}

_synth_postgres() {
    local url=$1 from=$2 to=$3 now=$4 screen=$5 show=$6
    psql -X -q -v ON_ERROR_STOP=1 -At "$url" <<SQL
BEGIN;
CREATE TEMP TABLE bx_seat AS
    SELECT (row_number() OVER (ORDER BY s.row_label, s.column_number) - 1)::bigint AS idx, s.id, s.label,
           s.category_id, c.name AS category_name, c.base_price_minor AS price
    FROM seats s JOIN seat_categories c ON c.id = s.category_id
    WHERE s.screen_id = '$screen' AND s.retired_at IS NULL;
CREATE UNIQUE INDEX ON bx_seat (idx);
CREATE TEMP TABLE bx_user AS SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS idx, id FROM users WHERE role = 'user';
CREATE UNIQUE INDEX ON bx_user (idx);
CREATE TEMP TABLE bx_n AS SELECT (SELECT count(*) FROM bx_seat) AS seats, (SELECT count(*) FROM bx_user) AS users;
CREATE TEMP TABLE bx_like AS SELECT movie_id, language, format FROM shows WHERE id = '$show';

INSERT INTO shows (id, movie_id, screen_id, starts_at, ends_at, show_date, show_time, language, format, status,
                   cancelled_at, cancel_reason, created_at, updated_at)
SELECT md5('bx-show-' || j)::uuid, l.movie_id, '$screen', to_timestamp($now - (j + 2) * 14400),
       to_timestamp($now - (j + 2) * 14400 + 10800),
       to_char(to_timestamp($now - (j + 2) * 14400) AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD'),
       to_char(to_timestamp($now - (j + 2) * 14400) AT TIME ZONE 'Asia/Kolkata', 'HH24:MI'),
       l.language, l.format, 'SCHEDULED', NULL, NULL, to_timestamp($now - (j + 2) * 14400 - 2592000),
       to_timestamp($now - (j + 2) * 14400 - 2592000)
FROM bx_n x, bx_like l, generate_series($from / x.seats, ($to - 1) / x.seats) j
ON CONFLICT (id) DO NOTHING;

INSERT INTO bookings (id, reference, user_id, show_id, status, promo_code, discount_id, seats_subtotal_minor,
                      food_subtotal_minor, subtotal_minor, discount_minor, taxable_minor, cgst_minor, sgst_minor,
                      total_minor, currency, payment_due_by, created_at, updated_at)
SELECT md5('bx-booking-' || k)::uuid, 'SYN-' || lpad(k::text, 9, '0'), u.id, md5('bx-show-' || (k / x.seats))::uuid,
       CASE WHEN k % 10 = 9 THEN 'CANCELLED' ELSE 'CONFIRMED' END, NULL, NULL,
       s.price, 0, s.price, 0, s.price, s.price * 9 / 100, s.price * 9 / 100, s.price + 2 * (s.price * 9 / 100),
       'INR', to_timestamp($now - (k / x.seats + 2) * 14400 - 86400 + 900),
       to_timestamp($now - (k / x.seats + 2) * 14400 - 86400), to_timestamp($now - (k / x.seats + 2) * 14400 - 86400)
FROM bx_n x, generate_series($from::bigint, $to - 1) k
JOIN bx_seat s ON s.idx = k % (SELECT seats FROM bx_n) JOIN bx_user u ON u.idx = k % (SELECT users FROM bx_n);

INSERT INTO booking_seats (id, booking_id, show_id, seat_id, seat_label, category_id, category_name, price_minor,
                           discount_minor, cgst_bp, sgst_bp, cgst_minor, sgst_minor, is_active)
SELECT md5('bx-seat-' || k)::uuid, md5('bx-booking-' || k)::uuid, md5('bx-show-' || (k / x.seats))::uuid, s.id,
       s.label, s.category_id, s.category_name, s.price, 0, 900, 900, s.price * 9 / 100, s.price * 9 / 100,
       k % 10 <> 9
FROM bx_n x, generate_series($from::bigint, $to - 1) k JOIN bx_seat s ON s.idx = k % (SELECT seats FROM bx_n);
COMMIT;
ANALYZE shows;
ANALYZE bookings;
ANALYZE booking_seats;
SELECT 'bookings ' || (SELECT count(*) FROM bookings) || ', booking_seats ' || (SELECT count(*) FROM booking_seats)
       || ', shows ' || (SELECT count(*) FROM shows);
SQL
}
