using System.Data.Common;
using Workbench.Core.Customers;
using Workbench.Core.Data;

namespace Workbench.Core.Playbook;

// A customer's snapshot with the contact points the decision engine checks: channel → why it fails data quality.
public sealed record SnapshotWithContacts(CustomerSnapshot Snapshot, IReadOnlyDictionary<string, string> Unreachable);

// A run of customers in id order and the last id read (the cursor of the next batch); Last is null past the end.
public sealed record SnapshotBatch(IReadOnlyList<SnapshotWithContacts> Customers, string? Last);

// Many customers' snapshots at once, for campaign runs: the next Take customers after a cursor in id order, each table
// read once over the batch's id range (the same indexes as one customer's read, walked as a range), grouped per customer
// in memory. What a snapshot holds, and each list's order and limit, are those of ReadAsync.
public static partial class SnapshotReader
{
    public static async Task<SnapshotBatch> ReadBatchAsync(DbConnection connection, string? after, int take, DateTime now, SnapshotWindow? window,
        IReadOnlyList<long> segmentIds, CancellationToken ct)
    {
        window ??= new SnapshotWindow();
        var ids = new List<string>(take);
        var profiles = new Dictionary<string, (CustomerProfile Profile, string? Email, string? Phone)>(take, StringComparer.Ordinal);
        await using (var cmd = connection.Command(BatchProfilesSql, ("$after", after ?? ""), ("$take", take)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var id = r.GetString(0);
                ids.Add(id);
                profiles[id] = (Profile(r, 3), r.Text(1), r.Text(2));
            }
        }
        if (ids.Count == 0) return new SnapshotBatch([], null);
        (string, object?) lo = ("$lo", ids[0]), hi = ("$hi", ids[^1]);

        var features = new Dictionary<string, SnapshotFeatures>(ids.Count, StringComparer.Ordinal);
        await ForEachAsync(BatchFeaturesSql, r => features[r.GetString(0)] = Features(r, 1));
        var consents = new Grouped<string, ConsentState>();
        await ForEachAsync(BatchConsentsSql, r => consents.For(r.GetString(0))[r.GetString(1)] = new ConsentState(r.GetString(2), r.Time(3) ?? default));
        var segments = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        foreach (var segment in segmentIds)
        {
            await ForEachAsync(BatchSegmentSql, r =>
            {
                var id = r.GetString(0);
                if (!segments.TryGetValue(id, out var set)) segments[id] = set = [];
                set.Add(segment);
            }, ("$segment", segment));
        }
        var categories = new Grouped<string, DateTime>();
        await ForEachAsync(BatchCategoriesSql, r => categories.For(r.GetString(0))[r.GetString(1)] = r.Time(2)!.Value);
        var eventTypes = new Grouped<string, DateTime>();
        await ForEachAsync(BatchEventTypesSql, r => eventTypes.For(r.GetString(0))[r.GetString(1)] = r.Time(2)!.Value);
        var events = new Listed<SnapshotEvent>(window.MaxEvents);
        await ForEachAsync(BatchEventsSql, r => events.Add(r.GetString(0), () => new SnapshotEvent(r.Time(1)!.Value, r.GetString(2), r.Text(3), r.Text(4))),
            ("$since", StoreTime.Format(now.AddDays(-window.EventDays))), ("$now", StoreTime.Format(now)));
        var lines = new Listed<PurchaseLine>(window.MaxLines);
        await ForEachAsync(BatchLinesSql, r => lines.Add(r.GetString(0), () => new PurchaseLine(r.GetString(1), r.Time(2)!.Value, r.GetString(3), r.Text(4), r.GetDouble(5), r.GetDouble(6))),
            ("$now", StoreTime.Format(now)));
        var contacts = new Listed<PlayContact>(window.MaxContacts);
        await ForEachAsync(BatchContactsSql, r => contacts.Add(r.GetString(0), () => new PlayContact(r.GetString(1), r.Text(2), r.GetString(3), r.Time(4)!.Value)),
            ("$now", StoreTime.Format(now)));
        var points = new Listed<PointsReading>(window.MaxPointsReadings);
        await ForEachAsync(BatchPointsSql, r => points.Add(r.GetString(0), () => new PointsReading(r.Time(1)!.Value, r.GetInt64(2))), ("$now", StoreTime.Format(now)));

        var result = new List<SnapshotWithContacts>(ids.Count);
        foreach (var id in ids)
        {
            var (profile, email, phone) = profiles[id];
            var customerPoints = points.Of(id);
            customerPoints.Reverse();
            var snapshot = new CustomerSnapshot(id, profile, features.GetValueOrDefault(id), consents.Of(id),
                segments.TryGetValue(id, out var s) ? s : [], events.Of(id), lines.Of(id), contacts.Of(id), customerPoints, categories.Of(id), eventTypes.Of(id));
            result.Add(new SnapshotWithContacts(snapshot, ContactPoints.Unreachable(email, phone)));
        }
        return new SnapshotBatch(result, ids.Count < take ? null : ids[^1]);

        async Task ForEachAsync(string sql, Action<DbDataReader> row, params (string, object?)[] more)
        {
            await using var cmd = connection.Command(sql, [lo, hi, .. more]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) row(r);
        }
    }

    public const string BatchProfilesSql =
        "SELECT customer_id, email, phone, first_name, last_name, birth_date, gender, city, region, country, home_store, signup_date, loyalty_tier, "
        + "loyalty_points, preferred_channel, time_zone FROM customers WHERE customer_id > $after ORDER BY customer_id LIMIT $take";

    public const string BatchFeaturesSql =
        "SELECT customer_id, orders, net_revenue, average_order_value, first_purchase_at, last_purchase_at, recency_days, tenure_days, mean_days_between_orders, "
        + "expected_next_purchase_at, r_score, f_score, m_score, rfm_cell, top_category_1, top_category_2, top_category_3, category_count, promo_share, "
        + "store_share, web_share, app_share, favourite_weekday, favourite_daypart, returns_rate, email_opens_90d, email_clicks_90d, probability_alive, "
        + "expected_purchases_52w, predicted_value_12m FROM customer_features WHERE customer_id BETWEEN $lo AND $hi";

    public const string BatchConsentsSql =
        "SELECT customer_id, channel, status, updated_at FROM consents WHERE customer_id BETWEEN $lo AND $hi";

    public const string BatchSegmentSql =
        "SELECT customer_id FROM segment_members WHERE segment_id = $segment AND customer_id BETWEEN $lo AND $hi";

    public const string BatchCategoriesSql =
        "SELECT customer_id, category, last_bought_at FROM customer_category_activity WHERE customer_id BETWEEN $lo AND $hi";

    public const string BatchEventTypesSql =
        "SELECT customer_id, type, last_at FROM customer_event_activity WHERE customer_id BETWEEN $lo AND $hi";

    public const string BatchEventsSql =
        "SELECT customer_id, occurred_at, type, sku, category FROM events WHERE customer_id BETWEEN $lo AND $hi AND occurred_at >= $since AND occurred_at <= $now "
        + "ORDER BY customer_id, occurred_at DESC";

    public const string BatchLinesSql =
        "SELECT l.customer_id, l.order_id, l.ordered_at, l.sku, p.category, l.quantity, l.quantity * l.unit_price - l.discount FROM order_lines l "
        + "LEFT JOIN products p ON p.sku = l.sku WHERE l.customer_id BETWEEN $lo AND $hi AND l.ordered_at <= $now ORDER BY l.customer_id, l.ordered_at DESC";

    public const string BatchContactsSql =
        "SELECT customer_id, play_id, exclusion_group, channel, at FROM contact_history WHERE customer_id BETWEEN $lo AND $hi AND at <= $now "
        + "ORDER BY customer_id, at DESC";

    public const string BatchPointsSql =
        "SELECT customer_id, at, points FROM points_history WHERE customer_id BETWEEN $lo AND $hi AND at <= $now ORDER BY customer_id, at DESC";

    // Every statement of a batch read, for the query-plan test.
    public static IReadOnlyList<string> BatchStatements { get; } =
        [BatchProfilesSql, BatchFeaturesSql, BatchConsentsSql, BatchSegmentSql, BatchCategoriesSql, BatchEventTypesSql, BatchEventsSql, BatchLinesSql, BatchContactsSql, BatchPointsSql];

    private sealed class Grouped<TKey, TValue> where TKey : notnull
    {
        private readonly Dictionary<string, Dictionary<TKey, TValue>> _of = new(StringComparer.Ordinal);

        public Dictionary<TKey, TValue> For(string id)
        {
            if (!_of.TryGetValue(id, out var d)) _of[id] = d = new Dictionary<TKey, TValue>();
            return d;
        }

        public Dictionary<TKey, TValue> Of(string id) => _of.TryGetValue(id, out var d) ? d : new Dictionary<TKey, TValue>();
    }

    // Rows per customer in the statement's order, at most Max each (the newest, as ReadAsync's LIMIT keeps).
    private sealed class Listed<T>(int max)
    {
        private readonly Dictionary<string, List<T>> _of = new(StringComparer.Ordinal);

        public void Add(string id, Func<T> make)
        {
            if (!_of.TryGetValue(id, out var list)) _of[id] = list = [];
            if (list.Count < max) list.Add(make());
        }

        public List<T> Of(string id) => _of.TryGetValue(id, out var list) ? list : [];
    }
}

// A contact point that fails data quality cannot be sent to: the quality rules' own checks of the e-mail and phone.
public static class ContactPoints
{
    // One customer's, read from the profile (none for an unknown customer).
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(DbConnection connection, string customerId, CancellationToken ct)
    {
        await using var cmd = connection.Command("SELECT email, phone FROM customers WHERE customer_id = $id", ("$id", customerId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Unreachable(r.Text(0), r.Text(1)) : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, string> Unreachable(string? email, string? phone)
    {
        var unreachable = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(email)) unreachable[PlayChannels.Email] = "no e-mail address";
        else if (!ContactRules.IsValidEmail(email)) unreachable[PlayChannels.Email] = "the e-mail address is not valid";
        if (string.IsNullOrWhiteSpace(phone)) unreachable[PlayChannels.Sms] = "no phone number";
        else if (!ContactRules.IsValidPhone(phone)) unreachable[PlayChannels.Sms] = "the phone number cannot receive SMS";
        return unreachable;
    }
}
