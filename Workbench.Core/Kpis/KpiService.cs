using System.Data.Common;
using System.Globalization;
using Workbench.Core.Data;

namespace Workbench.Core.Kpis;

// The KPI overview: figures by month and for a period against the previous one and the same months a year earlier, for
// everyone or per group of a split. Read-only SQL over the cells the kpi-months job keeps (KpiMonthsBuilder); a segment
// split sums its members' rows (current membership) and takes "the rest" as everyone minus them.
public sealed class KpiService(StoreLocation store, TimeProvider clock)
{
    public const string Everyone = "All customers";

    public async Task<IReadOnlyList<KpiSegmentOption>> SegmentsAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = connection.Command("SELECT id, name FROM segments ORDER BY name COLLATE NOCASE, id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var segments = new List<KpiSegmentOption>();
        while (await reader.ReadAsync(ct)) segments.Add(new KpiSegmentOption(reader.GetInt64(0), reader.GetString(1)));
        return segments;
    }

    public async Task<KpiOverview> OverviewAsync(KpiQuery query, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var periods = KpiPeriodRules.Resolve(query.Period, today);
        await using var connection = await StoreSql.OpenAsync(store, ct);
        // One read transaction: every query sees the same store while the job commits.
        await using var tx = await connection.BeginReadAsync(ct);
        var read = new Read(connection, tx);

        string? segmentName = null;
        if (query.Split == KpiSplit.Segment)
        {
            if (query.SegmentId is not { } id) throw new ArgumentException("A segment split needs a segment.", nameof(query));
            segmentName = await read.ScalarAsync("SELECT name FROM segments WHERE id = $id", ct, ("$id", id)) as string
                ?? throw new ArgumentException($"There is no segment {id}.", nameof(query));
        }

        var (first, last) = await MonthSpanAsync(read, ct);
        if (first is null || last is null)
        {
            var state = await read.ScalarAsync("SELECT EXISTS (SELECT 1 FROM order_lines)", ct) is 1L ? KpiState.NotComputed : KpiState.Empty;
            return new KpiOverview(query, today, periods, state, segmentName, null, [], null);
        }
        // Every month from the first with a line to today's (or a later one a line is dated in), a month without lines as zero.
        var todayMonth = new DateOnly(today.Year, today.Month, 1);
        var months = new MonthRange(ParseMonth(first), Max(ParseMonth(last), todayMonth));

        var source = Source(query, segmentName!);
        // Every month and the three compared periods in one query, so a segment's members are read once.
        var figures = await FiguresAsync(read, source, """
            months(month) AS (SELECT $first UNION ALL SELECT strftime('%Y-%m', month || '-01', '+1 month') FROM months WHERE month < $last),
            periods(name, from_month, to_month) AS (
                SELECT month, month, month FROM months
                UNION ALL VALUES ('current', $c1, $c2), ('previous', $p1, $p2), ('last-year', $y1, $y2))
            """, [("$first", months.FromKey), ("$last", months.ToKey), ("$c1", periods.Current.FromKey), ("$c2", periods.Current.ToKey),
                ("$p1", periods.Previous.FromKey), ("$p2", periods.Previous.ToKey), ("$y1", periods.LastYear.FromKey),
                ("$y2", periods.LastYear.ToKey)], ct);
        string[] compared = ["current", "previous", "last-year"];
        var churn = await ChurnAsync(read, query, segmentName!, ct);
        var churnAt = await read.ScalarAsync(
            "SELECT MAX(finished_at) FROM job_runs WHERE job = 'customer-features' AND status = 'Succeeded'", ct) as string;

        var groups = figures.Keys.Select(name =>
        {
            var byPeriod = figures[name];
            var comparison = new KpiComparison(
                byPeriod.GetValueOrDefault("current") ?? KpiFigures.Zero,
                byPeriod.GetValueOrDefault("previous") ?? KpiFigures.Zero,
                byPeriod.GetValueOrDefault("last-year") ?? KpiFigures.Zero);
            var series = byPeriod.Where(p => !compared.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new KpiMonth(p.Key, p.Value)).ToList();
            return new KpiGroup(name, series, comparison, churn.GetValueOrDefault(name) ?? new KpiChurn(0, 0));
        }).ToList();
        return new KpiOverview(query, today, periods, KpiState.Ready, segmentName, months, groups,
            churnAt is null ? null : StoreTime.Parse(churnAt));
    }

    private sealed record Read(DbConnection Connection, DbTransaction Transaction)
    {
        public DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
        {
            var command = Connection.Command(sql, parameters);
            command.Transaction = Transaction;
            return command;
        }

        public async Task<object?> ScalarAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
        {
            await using var command = Command(sql, parameters);
            var value = await command.ExecuteScalarAsync(ct);
            return value is DBNull ? null : value;
        }
    }

    private static async Task<(string? First, string? Last)> MonthSpanAsync(Read read, CancellationToken ct)
    {
        await using var command = read.Command(
            "SELECT MIN(month), MAX(month) FROM kpi_cells WHERE dimension = 'all' AND group_name = '*'");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.Text(0), reader.Text(1));
    }

    // The cells and active ranges of the split's groups (grp, month, previous_month, sums / grp, from_month, to_month,
    // customers), and the groups to show.
    private sealed record KpiSource(string Sql, (string Name, object? Value)[] Parameters);

    private const string Sums = "buyers, gross, returns, orders, costed_lines, margin, costed_gross";

    private static KpiSource Source(KpiQuery query, string segmentName)
    {
        if (query.Split == KpiSplit.Segment)
            return new KpiSource($"""
                -- One pass over the members' rows (CROSS JOIN keeps the members as the outer loop: each looks up its
                -- rows by key), summed at once to the few thousand keys the cells and the active ranges need.
                inside AS MATERIALIZED (
                    SELECT r.month, coalesce(r.previous_month, '') AS previous_month,
                        CASE WHEN r.bought = 1 AND r.active_from <= r.active_to THEN r.active_from END AS active_from,
                        CASE WHEN r.bought = 1 AND r.active_from <= r.active_to THEN r.active_to END AS active_to,
                        TOTAL(r.bought) AS buyers, TOTAL(r.gross) AS gross, TOTAL(r.returns) AS returns, TOTAL(r.orders) AS orders,
                        TOTAL(r.costed_lines) AS costed_lines, TOTAL(r.margin) AS margin, TOTAL(r.costed_gross) AS costed_gross,
                        COUNT(*) AS customers
                    FROM segment_members s CROSS JOIN kpi_customer_months r ON r.customer_id = s.customer_id AND r.channel = '*'
                    WHERE s.segment_id = $segment
                    GROUP BY 1, 2, 3, 4),
                cells AS MATERIALIZED (
                    SELECT grp, month, previous_month, TOTAL(buyers) AS buyers, TOTAL(gross) AS gross, TOTAL(returns) AS returns,
                        TOTAL(orders) AS orders, TOTAL(costed_lines) AS costed_lines, TOTAL(margin) AS margin, TOTAL(costed_gross) AS costed_gross
                    FROM (
                        SELECT $rest AS grp, month, previous_month, {Sums} FROM kpi_cells WHERE dimension = 'all'
                        UNION ALL SELECT $rest, month, previous_month, -buyers, -gross, -returns, -orders, -costed_lines, -margin,
                            -costed_gross FROM inside
                        UNION ALL SELECT $in, month, previous_month, {Sums} FROM inside)
                    GROUP BY grp, month, previous_month),
                active AS MATERIALIZED (
                    SELECT grp, from_month, to_month, TOTAL(customers) AS customers FROM (
                        SELECT $rest AS grp, from_month, to_month, customers FROM kpi_active_cells WHERE dimension = 'all'
                        UNION ALL SELECT $rest, active_from, active_to, -customers FROM inside WHERE active_from IS NOT NULL
                        UNION ALL SELECT $in, active_from, active_to, customers FROM inside WHERE active_from IS NOT NULL)
                    GROUP BY grp, from_month, to_month),
                groups(grp, ord) AS (VALUES ($in, 0), ($rest, 1))
                """, [("$segment", query.SegmentId), ("$in", segmentName), ("$rest", RestOf(segmentName))]);
        var dimension = Dimension(query.Split);
        var everyone = query.Split == KpiSplit.None;
        return new KpiSource($"""
            cells AS MATERIALIZED (SELECT {(everyone ? "$everyone" : "group_name")} AS grp, month, previous_month, {Sums}
                FROM kpi_cells WHERE dimension = $dimension),
            active AS MATERIALIZED (SELECT {(everyone ? "$everyone" : "group_name")} AS grp, from_month, to_month, customers
                FROM kpi_active_cells WHERE dimension = $dimension),
            groups AS (SELECT DISTINCT grp, grp = '(unknown)' AS ord FROM cells)
            """, [("$dimension", dimension), ("$everyone", Everyone)]);
    }

    public static string RestOf(string segmentName) => $"not in {segmentName}";

    private static string Dimension(KpiSplit split) => split switch
    {
        KpiSplit.Region => "region",
        KpiSplit.Tier => "tier",
        KpiSplit.Channel => "channel",
        _ => "all",
    };

    // One definition of the figures for months and periods alike: buyers of a period are counted once, at their first
    // month in it (their previous purchase month is before the period, or there is none); new ones have none.
    private static async Task<Dictionary<string, Dictionary<string, KpiFigures>>> FiguresAsync(Read read, KpiSource source,
        string periodsSql, (string, object?)[] parameters, CancellationToken ct)
    {
        var sql = $"""
            WITH RECURSIVE {periodsSql},
            {source.Sql},
            sums AS (
                SELECT c.grp, p.name, TOTAL(c.gross) AS gross, TOTAL(c.returns) AS returns, TOTAL(c.orders) AS orders,
                    TOTAL(CASE WHEN c.previous_month = '' OR c.previous_month < p.from_month THEN c.buyers END) AS buyers,
                    TOTAL(CASE WHEN c.previous_month = '' THEN c.buyers END) AS new_buyers,
                    TOTAL(c.costed_lines) AS costed_lines, TOTAL(c.margin) AS margin, TOTAL(c.costed_gross) AS costed_gross
                FROM periods p JOIN cells c ON c.month BETWEEN p.from_month AND p.to_month
                GROUP BY c.grp, p.name),
            actives AS (
                SELECT a.grp, p.name, TOTAL(a.customers) AS customers
                FROM periods p JOIN active a ON a.from_month <= p.to_month AND a.to_month >= p.to_month
                GROUP BY a.grp, p.name)
            SELECT g.grp, p.name, coalesce(s.gross, 0), coalesce(s.returns, 0), coalesce(s.orders, 0), coalesce(s.buyers, 0),
                coalesce(s.new_buyers, 0), coalesce(x.customers, 0), coalesce(s.costed_lines, 0), coalesce(s.margin, 0), coalesce(s.costed_gross, 0)
            FROM groups g CROSS JOIN periods p
            LEFT JOIN sums s ON s.grp = g.grp AND s.name = p.name
            LEFT JOIN actives x ON x.grp = g.grp AND x.name = p.name
            ORDER BY g.ord, g.grp COLLATE NOCASE
            """;
        await using var command = read.Command(sql, [.. source.Parameters, .. parameters]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new Dictionary<string, Dictionary<string, KpiFigures>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var group = reader.GetString(0);
            if (!result.TryGetValue(group, out var byPeriod)) result[group] = byPeriod = new Dictionary<string, KpiFigures>(StringComparer.Ordinal);
            byPeriod[reader.GetString(1)] = new KpiFigures(
                Gross: reader.GetDouble(2), Returns: reader.GetDouble(3), Orders: Count(reader, 4), Buyers: Count(reader, 5),
                NewCustomers: Count(reader, 6), ActiveCustomers: Count(reader, 7), CostedLines: Count(reader, 8),
                MarginSum: reader.GetDouble(9), CostedGross: reader.GetDouble(10));
        }
        return result;
    }

    private static long Count(DbDataReader reader, int i) => (long)Math.Round(reader.GetDouble(i));

    private static async Task<Dictionary<string, KpiChurn>> ChurnAsync(Read read, KpiQuery query, string segmentName, CancellationToken ct)
    {
        const string Scored = "f.probability_alive IS NOT NULL";
        const string Counts = "COUNT(*) AS scored, TOTAL(f.probability_alive < 0.5) AS churned";
        var (sql, parameters) = query.Split switch
        {
            // Through the probability_alive index: no read of the wide feature rows.
            KpiSplit.None => ($"SELECT $everyone, (SELECT COUNT(*) FROM customer_features WHERE probability_alive IS NOT NULL), " +
                "(SELECT COUNT(*) FROM customer_features WHERE probability_alive < 0.5)", new (string, object?)[] { ("$everyone", Everyone) }),
            KpiSplit.Region or KpiSplit.Tier => ($"""
                SELECT coalesce(nullif(c.{(query.Split == KpiSplit.Region ? "region" : "loyalty_tier")}, ''), '(unknown)'), {Counts}
                FROM customer_features f JOIN customers c ON c.customer_id = f.customer_id WHERE {Scored} GROUP BY 1
                """, []),
            // A customer counts in every channel they have bought on.
            KpiSplit.Channel => ($"""
                SELECT r.channel, {Counts}
                FROM (SELECT DISTINCT customer_id, channel FROM kpi_customer_months WHERE channel <> '*' AND bought = 1) r
                JOIN customer_features f ON f.customer_id = r.customer_id WHERE {Scored} GROUP BY 1
                """, []),
            _ => ($"""
                WITH inside AS (SELECT {Counts} FROM segment_members s CROSS JOIN customer_features f ON f.customer_id = s.customer_id
                                WHERE s.segment_id = $segment AND {Scored}),
                     everyone AS (SELECT (SELECT COUNT(*) FROM customer_features WHERE probability_alive IS NOT NULL) AS scored,
                                         (SELECT COUNT(*) FROM customer_features WHERE probability_alive < 0.5) AS churned)
                SELECT $in, inside.* FROM inside
                UNION ALL SELECT $rest, everyone.scored - inside.scored, everyone.churned - inside.churned
                FROM inside, everyone
                """, [("$segment", query.SegmentId), ("$in", segmentName), ("$rest", RestOf(segmentName))]),
        };
        await using var command = read.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var churn = new Dictionary<string, KpiChurn>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            churn[reader.GetString(0)] = new KpiChurn(Churned: (long)Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture),
                Scored: Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        return churn;
    }

    private static DateOnly ParseMonth(string month) => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
