using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Facts;
using Workbench.Core.Segments.Rules;

namespace Workbench.Cli;

// bench segments: a store of N customers with filled feature tables, then 20 different five-condition rules counted.
// The store is synthetic, written set-based in SQL (deterministic pseudo-random expressions of the row number):
// customers, consents, customer_features, customer_category_activity and customer_event_activity. No order lines or
// events are stored: segment counts read only these tables (the features rebuild itself is timed by bench features).
public static partial class CommandLine
{
    private static readonly DateTime BenchAsOf = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    private static readonly string[] BenchRegions =
        ["Greater London", "South East", "South West", "East of England", "West Midlands", "East Midlands", "North West",
         "North East", "Yorkshire and the Humber", "Wales", "Scotland", "Leinster"];

    private static readonly string[] BenchCategories = ["Home", "Grocery", "Garden", "Toys", "Beauty", "Fashion", "Electronics", "Sports"];

    private static async Task<int> BenchSegmentsAsync(CliArgs args, TextWriter stdout, CancellationToken ct)
    {
        var customers = (int)(args.GetLong("customers") ?? 1_000_000);
        var work = args.Get("keep") ?? Path.Combine(Path.GetTempPath(), "workbench-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var dbFile = Path.Combine(work, $"segments-{customers}.db");
        try
        {
            await stdout.WriteLineAsync($"bench segments: {customers:N0} customers, store {dbFile}");
            var store = StoreLocation.ForFile(dbFile);
            if (!File.Exists(dbFile))
            {
                await using (await OpenStoreAsync(dbFile, ct)) { }
                var fill = Stopwatch.StartNew();
                await FillSyntheticStoreAsync(store, customers, stdout, ct);
                await stdout.WriteLineAsync($"synthetic store written in {fill.Elapsed.TotalSeconds:0.0} s (features are synthetic, written in SQL, not rebuilt)");
            }
            else
            {
                await using (await OpenStoreAsync(dbFile, ct)) { }
                await stdout.WriteLineAsync("reusing the store from --keep");
            }
            StoreLocation.ReleaseConnections();
            GC.Collect();
            PeakMemory.Reset();

            await using var connection = await StoreSql.OpenAsync(store, ct);
            var rules = BenchRules(20);
            var cold = new List<double>();
            var warm = new List<double>();
            var counts = new List<long>();
            foreach (var rule in rules)
            {
                var clock = Stopwatch.StartNew();
                counts.Add(await RuleQuery.CountAsync(connection, RuleSqlCompiler.Compile(rule, BenchAsOf), ct));
                cold.Add(clock.Elapsed.TotalMilliseconds);
            }
            // Three more passes: the tail (p95, max) of 60 counts rather than of 20.
            var slowest = new double[rules.Count];
            for (var pass = 0; pass < 3; pass++)
            {
                for (var i = 0; i < rules.Count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await RuleQuery.CountAsync(connection, RuleSqlCompiler.Compile(rules[i], BenchAsOf), ct);
                    warm.Add(clock.Elapsed.TotalMilliseconds);
                    slowest[i] = Math.Max(slowest[i], clock.Elapsed.TotalMilliseconds);
                }
            }
            for (var i = 0; i < rules.Count; i++)
                await stdout.WriteLineAsync($"rule {i + 1,2}: {counts[i],10:N0} members {cold[i],8:N0} ms first, {slowest[i],6:N0} ms slowest again  {Describe(rules[i])}");
            var sqlPeak = PeakMemory.ReadBytes();
            var sqlMedian = Percentile(warm, 0.5);
            var sqlP95 = Percentile(warm, 0.95);
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync($"SQL (what answers while the facts are stale, just after a change), {rules.Count} rules x 3 passes: median {sqlMedian:N0} ms, " +
                $"p90 {Percentile(warm, 0.9):N0} ms, p95 {sqlP95:N0} ms, max {warm.Max():N0} ms (first pass: median {Percentile(cold, 0.5):N0} ms, p90 {Percentile(cold, 0.9):N0} ms)");

            // The path the builder and the API take: SegmentService with the store's segment facts in memory.
            await using var services = await OpenStoreAsync(dbFile, ct);
            var segments = services.GetRequiredService<SegmentService>();
            var cache = services.GetRequiredService<SegmentFactsCache>();
            GC.Collect();
            PeakMemory.Reset();
            var build = Stopwatch.StartNew();
            var facts = await cache.WarmAsync(ct);
            var buildSeconds = build.Elapsed.TotalSeconds - SegmentFactsCache.Settle.TotalSeconds;
            GC.Collect();
            var held = GC.GetTotalMemory(forceFullCollection: true);
            await stdout.WriteLineAsync($"segment facts read in {buildSeconds:0.0} s (after the {SegmentFactsCache.Settle.TotalSeconds:0} s quiet wait), " +
                $"{facts.ApproximateBytes / 1024.0 / 1024.0:N0} MB of columns, managed heap {held / 1024.0 / 1024.0:N0} MB, peak while reading {PeakMemory.ReadBytes() / 1024.0 / 1024.0:N0} MB");
            var fast = new List<double>();
            for (var pass = 0; pass < 3; pass++)
            {
                for (var i = 0; i < rules.Count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    var n = await segments.CountAsync(rules[i], ct);
                    fast.Add(clock.Elapsed.TotalMilliseconds);
                    if (pass == 0 && await RuleQuery.CountAsync(connection, segments.Compile(rules[i]), ct) is var sql && n != sql)
                        throw new InvalidOperationException($"rule {i + 1}: the facts count {n:N0}, SQL {sql:N0}");
                }
            }
            var kpiTimes = new List<double>();
            foreach (var rule in rules.Take(5))
            {
                var clock = Stopwatch.StartNew();
                await segments.KpisAsync(rule, ct);
                kpiTimes.Add(clock.Elapsed.TotalMilliseconds);
            }
            var peak = Math.Max(sqlPeak, PeakMemory.ReadBytes());
            var p95 = Percentile(fast, 0.95);
            await stdout.WriteLineAsync($"five-condition count through SegmentService (facts current), {rules.Count} rules x 3 passes: median {Percentile(fast, 0.5):N1} ms, " +
                $"p90 {Percentile(fast, 0.9):N1} ms, p95 {p95:N1} ms, max {fast.Max():N1} ms; every count equal to SQL's");
            await stdout.WriteLineAsync($"KPIs (size, revenue share, average, reach per channel) of the first 5 rules: median {Percentile(kpiTimes, 0.5):N1} ms, max {kpiTimes.Max():N1} ms " +
                "(the clock is the store's now, so windows differ from the counts above)");
            await stdout.WriteLineAsync($"peak memory: {peak / 1024.0 / 1024.0:N0} MB");
            await stdout.WriteLineAsync($"targets: p95 <= 300 ms: {(p95 <= 300 ? "met" : "NOT met")}; peak <= 1 GB: {(peak <= 1024L * 1024 * 1024 ? "met" : "NOT met")}");
            return 0;
        }
        finally
        {
            StoreLocation.ReleaseConnections();
            if (args.Get("keep") is null) Directory.Delete(work, recursive: true);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    private static string Describe(RuleGroup g) =>
        string.Join(g.Op == RuleOps.And ? " AND " : " OR ",
            g.Conditions.Select(c => c.Field + " " + c.Operator).Concat(g.Groups.Select(x => "(" + Describe(x) + ")")));

    // Twenty different rules of five conditions each over profile, features, behaviour and consent, from a seed.
    private static List<RuleGroup> BenchRules(int n)
    {
        var random = new Random(2026);
        var pool = new List<Func<RuleCondition>>
        {
            () => Cond("region", Operators.In, values: [.. BenchRegions.OrderBy(_ => random.Next()).Take(random.Next(2, 6))]),
            () => Cond("loyalty_tier", Operators.Ne, value: "Bronze"),
            () => Cond("orders", Operators.Gte, value: random.Next(2, 8)),
            () => Cond("recency_days", Operators.Lte, value: random.Next(30, 300)),
            () => Cond("m_score", Operators.Gte, value: random.Next(2, 5)),
            () => Cond("rfm_cell", Operators.In, values: ["555", "554", "545", "455", "444", "543", "534"]),
            () => Cond("predicted_value_12m", Operators.Gte, value: random.Next(100, 1500)),
            () => Cond("promo_share", Operators.Between, values: [0.2, 0.8]),
            () => Cond("favourite_daypart", Operators.Eq, value: FieldCatalog.Dayparts[random.Next(3)]),
            () => new RuleCondition { Field = "bought_category", Operator = Operators.Within, Category = BenchCategories[random.Next(BenchCategories.Length)], Days = random.Next(30, 180) },
            () => new RuleCondition { Field = "event", Operator = Operators.Within, Type = "cart_abandon", Hours = random.Next(24, 24 * 14) },
            () => new RuleCondition { Field = "event", Operator = Operators.NotWithin, Type = "email_open", Days = 90 },
            () => new RuleCondition { Field = "consent", Operator = Operators.Is, Channel = new[] { "email", "sms", "push" }[random.Next(3)], Value = RuleValues.Of("granted") },
            () => Cond("signup_date", Operators.Before, value: "2025-06-01"),
        };
        var rules = new List<RuleGroup>();
        for (var i = 0; i < n; i++)
        {
            var picks = pool.OrderBy(_ => random.Next()).Take(5).Select(f => f()).ToList();
            rules.Add(i % 4 == 3
                ? new RuleGroup { Conditions = picks[..3], Groups = [new RuleGroup { Op = RuleOps.Or, Conditions = picks[3..] }] }
                : new RuleGroup { Conditions = picks });
        }
        return rules;
    }

    private static RuleCondition Cond(string field, string op, object? value = null, object[]? values = null) => new()
    {
        Field = field,
        Operator = op,
        Value = value switch { null => null, string s => RuleValues.Of(s), _ => RuleValues.Of(Convert.ToDouble(value, CultureInfo.InvariantCulture)) },
        Values = values?.Select(v => v is string s ? RuleValues.Of(s) : RuleValues.Of(Convert.ToDouble(v, CultureInfo.InvariantCulture))).ToList(),
    };

    private static Task FillSyntheticStoreAsync(StoreLocation store, int customers, TextWriter stdout, CancellationToken ct) => Task.Run(() =>
    {
        using var session = store.Bulk.BeginSession(new BulkSessionOptions { DerivedData = true, CacheMegabytes = 200 });
        string List(string name, IEnumerable<string> items) =>
            $"CREATE TEMP TABLE {name} (k INTEGER PRIMARY KEY, v TEXT); INSERT INTO {name} VALUES " +
            string.Join(",", items.Select((v, i) => $"({i}, '{v.Replace("'", "''")}')")) + ";";
        session.Execute(List("regions", BenchRegions) + List("tiers", ["Bronze", "Silver", "Gold", "Platinum"]) +
            List("categories", BenchCategories) + List("dayparts", FieldCatalog.Dayparts) + List("channels", ["email", "sms", "push", "app", "mail"]) +
            List("events", ["cart_abandon", "email_open", "page_view", "product_view"]) +
            $"CREATE TEMP TABLE n AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {customers}) " +
            "SELECT i, (i * 2654435761) % 4294967291 AS h FROM s;");
        const string AsOf = "'2026-11-22 12:00:00'";
        var steps = new (string Name, string Sql)[]
        {
            ("customers", """
                INSERT INTO customers (customer_id, first_name, last_name, region, country, gender, loyalty_tier, loyalty_points,
                    preferred_channel, signup_date, import_id, created_import_id, revision, seen_import_id)
                SELECT printf('C%07d', i), 'First' || (h % 500), 'Last' || (h % 900), (SELECT v FROM temp.regions WHERE k = h % 12),
                    CASE WHEN h % 12 = 11 THEN 'IE' ELSE 'GB' END, CASE h % 3 WHEN 0 THEN 'F' WHEN 1 THEN 'M' ELSE NULL END,
                    (SELECT v FROM temp.tiers WHERE k = (h / 7) % 5), (h / 13) % 5000, (SELECT v FROM temp.channels WHERE k = (h / 17) % 5),
                    date('2026-11-22', '-' || ((h / 19) % 1500) || ' days'), 0, 0, 0, 0
                FROM temp.n
                """),
            ("consents", """
                INSERT INTO consents (customer_id, channel, status, updated_at, import_id, created_import_id, revision, seen_import_id)
                SELECT printf('C%07d', i), ch.v, CASE WHEN (h / (23 + ch.k)) % 10 < 6 THEN 'granted' ELSE 'denied' END, '2026-01-01 00:00:00', 0, 0, 0, 0
                FROM temp.n JOIN temp.channels ch WHERE (h / (29 + ch.k)) % 10 < 7
                """),
            ("customer_features", $"""
                INSERT INTO customer_features (customer_id, orders, net_revenue, average_order_value, first_purchase_at, last_purchase_at,
                    recency_days, tenure_days, r_score, f_score, m_score, rfm_cell, top_category_1, category_count, promo_share,
                    store_share, web_share, app_share, favourite_weekday, favourite_daypart, returns_rate, email_opens_90d,
                    email_clicks_90d, probability_alive, expected_purchases_52w, predicted_value_12m, computed_at)
                SELECT id, orders, revenue, revenue / orders, datetime({AsOf}, '-' || (recency + tenure) || ' days'),
                    datetime({AsOf}, '-' || recency || ' days'), recency, tenure, r, f, m, r || f || m,
                    (SELECT v FROM temp.categories WHERE k = h % 8), 1 + (h / 31) % 8, ((h / 37) % 101) / 100.0,
                    0.5, 0.3, 0.2, (h / 41) % 7, (SELECT v FROM temp.dayparts WHERE k = (h / 43) % 3), ((h / 47) % 30) / 100.0,
                    (h / 53) % 12, (h / 59) % 5, ((h / 61) % 101) / 100.0, ((h / 67) % 200) / 10.0, ((h / 71) % 300000) / 100.0, {AsOf}
                FROM (SELECT printf('C%07d', i) AS id, h, 1 + (h / 3) % 15 AS orders, ((h / 5) % 500000) / 100.0 AS revenue,
                        (h / 11) % 365 AS recency, (h / 97) % 700 AS tenure, 1 + (h / 101) % 5 AS r, 1 + (h / 103) % 5 AS f,
                        1 + (h / 107) % 5 AS m
                      FROM temp.n WHERE h % 100 < 85)
                """),
            ("customer_category_activity", $"""
                INSERT INTO customer_category_activity (customer_id, category, net_spend, share, orders, last_bought_at)
                SELECT printf('C%07d', i), c.v, ((h / (109 + c.k)) % 20000) / 100.0, 0.25, 1 + (h / (113 + c.k)) % 6,
                    datetime({AsOf}, '-' || ((h / (127 + c.k)) % 400) || ' days')
                FROM temp.n JOIN temp.categories c WHERE (h / (131 + c.k)) % 4 = 0
                """),
            ("customer_event_activity", $"""
                INSERT INTO customer_event_activity (customer_id, type, total, last_90d, last_at)
                SELECT printf('C%07d', i), e.v, 1 + (h / (137 + e.k)) % 40, (h / (139 + e.k)) % 10,
                    datetime({AsOf}, '-' || ((h / (149 + e.k)) % 4000) || ' hours')
                FROM temp.n JOIN temp.events e WHERE (h / (151 + e.k)) % 3 = 0
                """),
        };
        foreach (var (name, sql) in steps)
        {
            ct.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            session.Execute(sql);
            stdout.WriteLine($"  {name,-28}{session.Scalar($"SELECT COUNT(*) FROM {name}"),12:N0} rows {clock.Elapsed.TotalSeconds,6:0.0} s");
        }
        session.Commit();
    }, ct);
}
