using System.Globalization;
using Microsoft.Data.Sqlite;
using Workbench.Core.Segments.Rules;

namespace Workbench.Tests.Core.Segments;

// Customers with profile, features, activity and consents, written straight into the store with SQL
// (the lead's feature rebuild is not used) and kept in memory as CustomerFacts for the reference evaluator.
public static class SegmentFixture
{
    public static readonly DateTime AsOf = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    public static readonly string[] Regions = ["London", "North West", "Wales", "Scotland", ""];
    public static readonly string[] Tiers = ["Bronze", "Silver", "Gold"];
    public static readonly string[] Categories = ["Home", "Grocery", "Garden", "Toys"];
    public static readonly string[] EventTypes = ["cart_abandon", "email_open", "page_view"];
    public static readonly string[] Cells = ["555", "543", "111", "321", "455"];

    public static readonly string[] FeatureColumns =
    [
        "orders", "net_revenue", "average_order_value", "first_purchase_at", "last_purchase_at", "recency_days",
        "tenure_days", "mean_days_between_orders", "r_score", "f_score", "m_score", "rfm_cell", "top_category_1",
        "category_count", "promo_share", "store_share", "web_share", "app_share", "favourite_weekday",
        "favourite_daypart", "returns_rate", "email_opens_90d", "email_clicks_90d", "probability_alive",
        "expected_purchases_52w", "predicted_value_12m",
    ];

    private static readonly string[] ProfileColumns =
        ["region", "city", "country", "gender", "loyalty_tier", "loyalty_points", "preferred_channel", "home_store", "signup_date", "birth_date"];

    public static List<CustomerFacts> Random(int count, int seed)
    {
        var r = new Random(seed);
        T? Maybe<T>(T value, double nullShare = 0.15) => r.NextDouble() < nullShare ? default : value;
        T Pick<T>(T[] items) => items[r.Next(items.Length)];
        DateTime Ago(int maxDays) => AsOf.AddMilliseconds(-r.NextInt64((long)maxDays * 86_400_000));
        var list = new List<CustomerFacts>();
        for (var i = 0; i < count; i++)
        {
            var v = new Dictionary<string, object?>
            {
                ["region"] = Maybe(Pick(Regions)),
                ["city"] = Maybe(Pick(new[] { "Leeds", "Cardiff", "Dublin" })),
                ["country"] = Maybe(Pick(new[] { "GB", "IE" })),
                ["gender"] = Maybe(Pick(new[] { "F", "M", "X" })),
                ["loyalty_tier"] = Maybe(Pick(Tiers)),
                ["loyalty_points"] = Maybe<double?>(r.Next(0, 5) * 100),
                ["preferred_channel"] = Maybe(Pick(new[] { "email", "sms", "app" })),
                ["home_store"] = Maybe(Pick(new[] { "S01", "S02" })),
                ["signup_date"] = Maybe<DateTime?>(AsOf.Date.AddDays(-r.Next(0, 900))),
                ["birth_date"] = Maybe<DateTime?>(new DateTime(1950, 1, 1).AddDays(r.Next(0, 20000))),
            };
            var hasFeatures = r.NextDouble() < 0.8;
            foreach (var column in FeatureColumns) v[column] = null;
            if (hasFeatures)
            {
                v["orders"] = (double)r.Next(1, 10);
                v["net_revenue"] = r.Next(0, 4000) / 2.0;
                v["average_order_value"] = Maybe<double?>(r.Next(10, 200));
                v["first_purchase_at"] = Maybe<DateTime?>(Ago(700));
                v["last_purchase_at"] = Maybe<DateTime?>(Ago(300));
                v["recency_days"] = Maybe<double?>(r.Next(0, 365));
                v["tenure_days"] = Maybe<double?>(r.Next(0, 700));
                v["mean_days_between_orders"] = Maybe<double?>(r.Next(5, 120) / 2.0);
                v["r_score"] = Maybe<double?>(r.Next(1, 6));
                v["f_score"] = Maybe<double?>(r.Next(1, 6));
                v["m_score"] = Maybe<double?>(r.Next(1, 6));
                v["rfm_cell"] = Maybe(Pick(Cells));
                v["top_category_1"] = Maybe(Pick(Categories));
                v["category_count"] = (double)r.Next(0, 6);
                v["promo_share"] = Maybe<double?>(r.Next(0, 5) / 4.0);
                v["store_share"] = Maybe<double?>(r.Next(0, 5) / 4.0);
                v["web_share"] = Maybe<double?>(r.Next(0, 5) / 4.0);
                v["app_share"] = Maybe<double?>(r.Next(0, 5) / 4.0);
                v["favourite_weekday"] = Maybe<double?>(r.Next(0, 7));
                v["favourite_daypart"] = Maybe(Pick(FieldCatalog.Dayparts.ToArray()));
                v["returns_rate"] = Maybe<double?>(r.Next(0, 5) / 8.0);
                v["email_opens_90d"] = (double)r.Next(0, 4);
                v["email_clicks_90d"] = (double)r.Next(0, 3);
                v["probability_alive"] = Maybe<double?>(r.Next(0, 11) / 10.0);
                v["expected_purchases_52w"] = Maybe<double?>(r.Next(0, 20) / 2.0);
                v["predicted_value_12m"] = Maybe<double?>(r.Next(0, 60) * 25);
            }
            else
            {
                foreach (var f in FieldCatalog.All.Where(f => f.ZeroWhenMissing)) v[f.Id] = 0.0;
            }
            var categories = Categories.Where(_ => r.NextDouble() < 0.35).Select(c => (c, Ago(400))).ToList();
            var events = EventTypes.Where(_ => r.NextDouble() < 0.4).Select(t => (t, Ago(r.Next(2) == 0 ? 3 : 200))).ToList();
            var consents = new Dictionary<string, string>();
            foreach (var channel in new[] { "email", "sms", "push", "app", "mail" })
            {
                var x = r.Next(3);
                if (x < 2) consents[channel] = x == 0 ? "granted" : "denied";
            }
            list.Add(new CustomerFacts($"C{i:D4}", v, categories, events, consents));
        }
        return list;
    }

    // A hand-made customer: profile and feature values by field id; zero-when-missing features default to 0.
    public static CustomerFacts Customer(string id, Dictionary<string, object?>? values = null,
        (string, DateTime)[]? categories = null, (string, DateTime)[]? events = null, Dictionary<string, string>? consents = null)
    {
        var v = new Dictionary<string, object?>(values ?? []);
        foreach (var f in FieldCatalog.All.Where(f => f.ZeroWhenMissing)) v.TryAdd(f.Id, 0.0);
        return new CustomerFacts(id, v, categories ?? [], events ?? [], consents ?? []);
    }

    public static async Task WriteAsync(string connectionString, IEnumerable<CustomerFacts> customers)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = connection.BeginTransaction();
        foreach (var c in customers)
        {
            await ExecAsync(connection, "customers", ["customer_id", .. ProfileColumns, "import_id", "created_import_id", "revision", "seen_import_id"],
                [c.CustomerId, .. ProfileColumns.Select(p => Store(c.Values.GetValueOrDefault(p), p)), 0L, 0L, 0, 0L]);
            if (!IsZeroRow(c))
            {
                await ExecAsync(connection, "customer_features", ["customer_id", .. FeatureColumns, "computed_at"],
                    [c.CustomerId, .. FeatureColumns.Select(f => Store(c.Values.GetValueOrDefault(f) ?? (FieldCatalog.Find(f)?.ZeroWhenMissing == true ? 0.0 : null), f)), RuleSqlCompiler.Format(AsOf)]);
            }
            foreach (var (category, at) in c.Categories)
                await ExecAsync(connection, "customer_category_activity", ["customer_id", "category", "net_spend", "share", "orders", "last_bought_at"],
                    [c.CustomerId, category, 10.0, 0.5, 1L, RuleSqlCompiler.Format(at)]);
            foreach (var (type, at) in c.Events)
                await ExecAsync(connection, "customer_event_activity", ["customer_id", "type", "total", "last_90d", "last_at"],
                    [c.CustomerId, type, 1L, 1L, RuleSqlCompiler.Format(at)]);
            foreach (var (channel, status) in c.Consents)
                await ExecAsync(connection, "consents", ["customer_id", "channel", "status", "updated_at", "import_id", "created_import_id", "revision", "seen_import_id"],
                    [c.CustomerId, channel, status, RuleSqlCompiler.Format(AsOf), 0L, 0L, 0, 0L]);
        }
        await tx.CommitAsync();
    }

    // A customer whose zero-when-missing features are 0 and every other feature empty has no features row.
    private static bool IsZeroRow(CustomerFacts c) =>
        FieldCatalog.All.Where(f => f.Source == FieldSource.Features)
            .All(f => f.ZeroWhenMissing ? c.Values.GetValueOrDefault(f.Id) is null or 0.0 : c.Values.GetValueOrDefault(f.Id) is null);

    private static object Store(object? value, string column) => value switch
    {
        null => DBNull.Value,
        DateTime d when column is "signup_date" or "birth_date" => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => RuleSqlCompiler.Format(d),
        _ => value,
    };

    private static async Task ExecAsync(SqliteConnection connection, string table, string[] columns, object[] values)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$v" + i))})";
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue("$v" + i, values[i]);
        await command.ExecuteNonQueryAsync();
    }
}
