using System.Data.Common;
using Workbench.Core.Data;

namespace Workbench.Core.Kpis;

// Keeps kpi_customer_months, kpi_cells and kpi_active_cells current, set-based, inside the caller's write transaction.
// Definitions are the Customer 360's (CustomerKpis, CustomerStatsBuilder): line amount = quantity × unit_price − discount;
// gross = Σ amount of lines with quantity > 0; returns = −Σ amount of lines with quantity < 0, in the month of the return;
// an order = a distinct order_id with a line of quantity > 0; margin = Σ (amount − quantity × unit_cost) over lines whose
// product has a unit_cost, returns included. A month is a calendar month of ordered_at (UTC).
//
// Active at a month end E: a purchase in the 90 days [E − 89 days, E]. A month's purchases reach the month ends up to
// the last one within 89 days of its last purchase day ("reach"); the ranges of one customer's months are kept
// disjoint (ActiveFrom starts after the previous month's reach), so the customers active at E are a plain sum.
//
// After an import only the touched customers' rows are recomputed; their old rows are first taken out of the cells and
// their new ones added, so the cells stay the sums of the rows without reading all of them.
public static class KpiMonthsBuilder
{
    private const string Touched = "customer_id IN (SELECT customer_id FROM touched_customers)";

    public static async Task<long> RebuildAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync("DELETE FROM kpi_customer_months; DELETE FROM kpi_cells; DELETE FROM kpi_active_cells;", ct);
        await connection.ExecuteAsync(InsertRowsSql(lineFilter: "1", allChannels: true), ct);
        await connection.ExecuteAsync(InsertRowsSql(lineFilter: "1", allChannels: false), ct);
        await connection.ExecuteAsync(AddToCellsSql(rowFilter: "1", sign: 1), ct);
        return await connection.ScalarAsync<long>("SELECT COUNT(*) FROM kpi_customer_months", ct);
    }

    public static async Task<long> RefreshTouchedAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(AddToCellsSql(Touched, sign: -1), ct);
        await connection.ExecuteAsync($"DELETE FROM kpi_customer_months WHERE {Touched}", ct);
        await connection.ExecuteAsync(InsertRowsSql("l." + Touched, allChannels: true), ct);
        await connection.ExecuteAsync(InsertRowsSql("l." + Touched, allChannels: false), ct);
        await connection.ExecuteAsync(AddToCellsSql(Touched, sign: 1), ct);
        await connection.ExecuteAsync("DELETE FROM kpi_cells WHERE entries = 0; DELETE FROM kpi_active_cells WHERE customers = 0;", ct);
        return await connection.ScalarAsync<long>($"SELECT COUNT(*) FROM kpi_customer_months WHERE {Touched}", ct);
    }

    private const string Measures = """
        TOTAL(CASE WHEN quantity > 0 THEN amount END) AS gross,
        0 - TOTAL(CASE WHEN quantity < 0 THEN amount END) AS returns,
        COUNT(DISTINCT CASE WHEN quantity > 0 THEN order_id END) AS orders,
        COUNT(unit_cost) AS costed_lines,
        TOTAL(CASE WHEN unit_cost IS NOT NULL THEN amount - quantity * unit_cost END) AS margin,
        TOTAL(CASE WHEN quantity > 0 AND unit_cost IS NOT NULL THEN amount END) AS costed_gross,
        MAX(CASE WHEN quantity > 0 THEN day END) AS last_day
        """;

    // reach: the last month whose end E satisfies E − 89 days ≤ last_day, i.e. E ≤ last_day + 89 days. The all-channels
    // rows and the per-channel rows are two statements, each one pass over the lines (one statement for both would
    // materialise every line in a temporary table first).
    private static string InsertRowsSql(string lineFilter, bool allChannels) => $"""
        INSERT INTO kpi_customer_months (customer_id, channel, month, region, tier, gross, returns, orders, costed_lines, margin,
            costed_gross, bought, last_day, previous_month, active_from, active_to)
        WITH lines AS (
            SELECT l.customer_id, coalesce(nullif(l.channel, ''), '(unknown)') AS channel, substr(l.ordered_at, 1, 7) AS month,
                   substr(l.ordered_at, 1, 10) AS day, l.order_id, l.quantity, l.quantity * l.unit_price - l.discount AS amount, p.unit_cost
            FROM order_lines l LEFT JOIN products p ON p.sku = l.sku
            WHERE {lineFilter}),
        base AS ({(allChannels
            ? $"SELECT customer_id, '*' AS channel, month, {Measures} FROM lines GROUP BY customer_id, month"
            : $"SELECT customer_id, channel, month, {Measures} FROM lines GROUP BY customer_id, channel, month")}),
        reached AS (
            SELECT b.*, CASE
                WHEN last_day IS NULL THEN NULL
                WHEN strftime('%d', last_day, '+90 days') = '01' THEN strftime('%Y-%m', last_day, '+89 days')
                ELSE strftime('%Y-%m', last_day, '+89 days', 'start of month', '-1 day') END AS reach
            FROM base b),
        ordered AS (
            SELECT r.*,
                MAX(CASE WHEN last_day IS NOT NULL THEN month END) OVER earlier AS previous_month,
                MAX(reach) OVER earlier AS previous_reach
            FROM reached r
            WINDOW earlier AS (PARTITION BY customer_id, channel ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
        SELECT o.customer_id, o.channel, o.month,
            coalesce(nullif(c.region, ''), '(unknown)'), coalesce(nullif(c.loyalty_tier, ''), '(unknown)'),
            o.gross, o.returns, o.orders, o.costed_lines, o.margin, o.costed_gross,
            o.last_day IS NOT NULL, o.last_day, o.previous_month,
            CASE WHEN o.reach IS NULL THEN NULL
                 WHEN o.previous_reach IS NULL OR o.previous_reach < o.month THEN o.month
                 ELSE strftime('%Y-%m', o.previous_reach || '-01', '+1 month') END,
            o.reach
        FROM ordered o LEFT JOIN customers c ON c.customer_id = o.customer_id
        """;

    // The rows of the scope, once per split they count in: every split but channel reads the all-channels rows.
    private static string Expanded(string rowFilter) => $"""
        SELECT 'all' AS dimension, '*' AS group_name, * FROM kpi_customer_months WHERE channel = '*' AND {rowFilter}
        UNION ALL SELECT 'region', region, * FROM kpi_customer_months WHERE channel = '*' AND {rowFilter}
        UNION ALL SELECT 'tier', tier, * FROM kpi_customer_months WHERE channel = '*' AND {rowFilter}
        UNION ALL SELECT 'channel', channel, * FROM kpi_customer_months WHERE channel <> '*' AND {rowFilter}
        """;

    private static string AddToCellsSql(string rowFilter, int sign) => $"""
        INSERT INTO kpi_cells (dimension, group_name, month, previous_month, entries, buyers, gross, returns, orders, costed_lines,
            margin, costed_gross)
        SELECT dimension, group_name, month, coalesce(previous_month, ''), {sign} * COUNT(*), {sign} * SUM(bought),
            {sign} * TOTAL(gross), {sign} * TOTAL(returns), {sign} * SUM(orders), {sign} * SUM(costed_lines), {sign} * TOTAL(margin),
            {sign} * TOTAL(costed_gross)
        FROM ({Expanded(rowFilter)}) WHERE 1
        GROUP BY dimension, group_name, month, coalesce(previous_month, '')
        ON CONFLICT (dimension, group_name, month, previous_month) DO UPDATE SET
            entries = entries + excluded.entries, buyers = buyers + excluded.buyers, gross = gross + excluded.gross,
            returns = returns + excluded.returns, orders = orders + excluded.orders, costed_lines = costed_lines + excluded.costed_lines,
            margin = margin + excluded.margin, costed_gross = costed_gross + excluded.costed_gross;
        INSERT INTO kpi_active_cells (dimension, group_name, from_month, to_month, customers)
        SELECT dimension, group_name, active_from, active_to, {sign} * COUNT(*)
        FROM ({Expanded(rowFilter)}) WHERE bought = 1 AND active_from <= active_to
        GROUP BY dimension, group_name, active_from, active_to
        ON CONFLICT (dimension, group_name, from_month, to_month) DO UPDATE SET customers = customers + excluded.customers;
        """;
}
