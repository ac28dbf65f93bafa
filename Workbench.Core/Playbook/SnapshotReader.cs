using System.Data.Common;
using Workbench.Core.Data;

namespace Workbench.Core.Playbook;

// How much recent behaviour a snapshot carries: events of the last EventDays; every purchase line of the customer
// (what they bought is excluded from recommendations, and habitual-buyer windows reach back months).
// Contacts and points readings: the latest MaxContacts and MaxPointsReadings up to now.
public sealed record SnapshotWindow(int EventDays = 30, int MaxEvents = 500, int MaxLines = 5_000, int MaxContacts = 2_000, int MaxPointsReadings = 1_000);

// One customer's snapshot from the store, in a handful of primary-key and index reads: profile, features, consents,
// saved-segment memberships, category and event activity, recent events and purchase lines with their categories,
// the plays' contact history and the loyalty points readings.
public static partial class SnapshotReader
{
    public static async Task<CustomerSnapshot?> ReadAsync(DbConnection connection, string customerId, DateTime now, SnapshotWindow? window, CancellationToken ct)
    {
        window ??= new SnapshotWindow();
        var id = ("$id", (object?)customerId);

        CustomerProfile? profile = null;
        await using (var cmd = connection.Command(ProfileSql, id))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct)) profile = Profile(r, 0);
        }
        if (profile is null) return null;

        SnapshotFeatures? features = null;
        await using (var cmd = connection.Command(FeaturesSql, id))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct)) features = Features(r, 0);
        }

        var consents = new Dictionary<string, ConsentState>(StringComparer.Ordinal);
        await using (var cmd = connection.Command(ConsentsSql, id))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) consents[r.GetString(0)] = new ConsentState(r.GetString(1), r.Time(2) ?? default);

        var segments = new HashSet<long>();
        await using (var cmd = connection.Command(SegmentsSql, id))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) segments.Add(r.GetInt64(0));

        var categories = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        await using (var cmd = connection.Command(CategoriesSql, id))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) categories[r.GetString(0)] = r.Time(1)!.Value;

        var eventTypes = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        await using (var cmd = connection.Command(EventTypesSql, id))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) eventTypes[r.GetString(0)] = r.Time(1)!.Value;

        var events = new List<SnapshotEvent>();
        await using (var cmd = connection.Command(EventsSql,
            id, ("$since", StoreTime.Format(now.AddDays(-window.EventDays))), ("$now", StoreTime.Format(now)), ("$max", window.MaxEvents)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) events.Add(new SnapshotEvent(r.Time(0)!.Value, r.GetString(1), r.Text(2), r.Text(3)));

        var lines = new List<PurchaseLine>();
        await using (var cmd = connection.Command(LinesSql,
            id, ("$now", StoreTime.Format(now)), ("$max", window.MaxLines)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) lines.Add(new PurchaseLine(r.GetString(0), r.Time(1)!.Value, r.GetString(2), r.Text(3), r.GetDouble(4), r.GetDouble(5)));

        var contacts = new List<PlayContact>();
        await using (var cmd = connection.Command(ContactsSql,
            id, ("$now", StoreTime.Format(now)), ("$max", window.MaxContacts)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) contacts.Add(new PlayContact(r.GetString(0), r.Text(1), r.GetString(2), r.Time(3)!.Value));

        var points = new List<PointsReading>();
        await using (var cmd = connection.Command(PointsSql,
            id, ("$now", StoreTime.Format(now)), ("$max", window.MaxPointsReadings)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) points.Add(new PointsReading(r.Time(0)!.Value, r.GetInt64(1)));
        points.Reverse();

        return new CustomerSnapshot(customerId, profile, features, consents, segments, events, lines, contacts, points, categories, eventTypes);
    }

    public const string ProfileSql =
        "SELECT first_name, last_name, birth_date, gender, city, region, country, home_store, signup_date, loyalty_tier, loyalty_points, preferred_channel, time_zone FROM customers WHERE customer_id = $id";

    public const string FeaturesSql =
        "SELECT orders, net_revenue, average_order_value, first_purchase_at, last_purchase_at, recency_days, tenure_days, mean_days_between_orders, "
        + "expected_next_purchase_at, r_score, f_score, m_score, rfm_cell, top_category_1, top_category_2, top_category_3, category_count, promo_share, "
        + "store_share, web_share, app_share, favourite_weekday, favourite_daypart, returns_rate, email_opens_90d, email_clicks_90d, probability_alive, "
        + "expected_purchases_52w, predicted_value_12m FROM customer_features WHERE customer_id = $id";

    public const string ConsentsSql =
        "SELECT channel, status, updated_at FROM consents WHERE customer_id = $id";

    public const string CategoriesSql =
        "SELECT category, last_bought_at FROM customer_category_activity WHERE customer_id = $id";

    public const string EventTypesSql =
        "SELECT type, last_at FROM customer_event_activity WHERE customer_id = $id";

    public const string EventsSql =
        "SELECT occurred_at, type, sku, category FROM events WHERE customer_id = $id AND occurred_at >= $since AND occurred_at <= $now ORDER BY occurred_at DESC LIMIT $max";

    public const string LinesSql =
        "SELECT l.order_id, l.ordered_at, l.sku, p.category, l.quantity, l.quantity * l.unit_price - l.discount FROM order_lines l "
        + "LEFT JOIN products p ON p.sku = l.sku WHERE l.customer_id = $id AND l.ordered_at <= $now ORDER BY l.ordered_at DESC LIMIT $max";

    public const string ContactsSql =
        "SELECT play_id, exclusion_group, channel, at FROM contact_history WHERE customer_id = $id AND at <= $now ORDER BY at DESC LIMIT $max";

    public const string PointsSql =
        "SELECT at, points FROM points_history WHERE customer_id = $id AND at <= $now ORDER BY at DESC LIMIT $max";

    // Every statement of a read, for the query-plan test: each must find the customer by an index, never by a scan.
    public static IReadOnlyList<string> Statements { get; } = [ProfileSql, FeaturesSql, ConsentsSql, SegmentsSql, CategoriesSql, EventTypesSql, EventsSql, LinesSql, ContactsSql, PointsSql];

    // The memberships by the primary key (segment_id, customer_id), one probe per saved segment: a lookup by
    // customer_id alone would scan every membership of every segment (2.6M rows at 1M customers, about 1 s).
    public const string SegmentsSql =
        "SELECT s.id FROM segments s WHERE EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = s.id AND m.customer_id = $id)";

    // The profile columns of ProfileSql from column o on.
    private static CustomerProfile Profile(DbDataReader r, int o) =>
        new(r.Text(o), r.Text(o + 1), Date(r.Text(o + 2)), r.Text(o + 3), r.Text(o + 4), r.Text(o + 5), r.Text(o + 6), r.Text(o + 7),
            Date(r.Text(o + 8)), r.Text(o + 9), r.IsDBNull(o + 10) ? null : r.GetInt64(o + 10), r.Text(o + 11), r.Text(o + 12));

    // The feature columns of FeaturesSql from column o on.
    private static SnapshotFeatures Features(DbDataReader r, int o) =>
        new(r.GetInt64(o), r.GetDouble(o + 1), Real(r, o + 2), r.Time(o + 3), r.Time(o + 4), Int(r, o + 5), Int(r, o + 6), Real(r, o + 7),
            r.Time(o + 8), Int(r, o + 9), Int(r, o + 10), Int(r, o + 11), r.Text(o + 12), r.Text(o + 13), r.Text(o + 14), r.Text(o + 15),
            (int)r.GetInt64(o + 16), Real(r, o + 17), Real(r, o + 18), Real(r, o + 19), Real(r, o + 20), Int(r, o + 21), r.Text(o + 22),
            Real(r, o + 23), (int)r.GetInt64(o + 24), (int)r.GetInt64(o + 25), Real(r, o + 26), Real(r, o + 27), Real(r, o + 28));

    private static DateOnly? Date(string? text) => StoreTime.TryParseDate(text, out var d) ? d : null;

    private static double? Real(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static int? Int(DbDataReader r, int i) => r.IsDBNull(i) ? null : (int)r.GetInt64(i);
}
