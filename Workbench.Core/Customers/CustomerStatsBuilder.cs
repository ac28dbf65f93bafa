using System.Diagnostics;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Customers;

// Rebuilds customer_stats from order_lines in one INSERT ... SELECT ... GROUP BY, inside the caller's transaction,
// with the KPI definitions of CustomerKpis (gross, returns, net, orders = distinct order_id with a line of quantity > 0).
public static class CustomerStatsBuilder
{
    // One row per customer (zeros when they have no lines), so the list joins it as an inner join and can be driven
    // by its indexes when sorted by revenue or last purchase. Lines of unknown customers are left out.
    public const string RebuildSql = """
        DELETE FROM customer_stats;
        INSERT INTO customer_stats (customer_id, orders, units, gross_revenue, returns, net_revenue, first_purchase_at, last_purchase_at)
        SELECT c.customer_id, coalesce(a.orders, 0), coalesce(a.units, 0), coalesce(a.gross, 0), coalesce(a.returns, 0),
               coalesce(a.gross - a.returns, 0), a.first_at, a.last_at
        FROM customers c LEFT JOIN (
            SELECT customer_id,
                COUNT(DISTINCT CASE WHEN quantity > 0 THEN order_id END) AS orders,
                TOTAL(CASE WHEN quantity > 0 THEN quantity END) AS units,
                TOTAL(CASE WHEN quantity > 0 THEN quantity * unit_price - discount END) AS gross,
                0 - TOTAL(CASE WHEN quantity < 0 THEN quantity * unit_price - discount END) AS returns,
                MIN(CASE WHEN quantity > 0 THEN ordered_at END) AS first_at,
                MAX(CASE WHEN quantity > 0 THEN ordered_at END) AS last_at
            FROM order_lines
            GROUP BY customer_id) a ON a.customer_id = c.customer_id;
        """;

    // After a customers import: new customers get their zero row (they cannot have lines yet: the importer refuses
    // lines of unknown customers).
    public const string AddMissingSql = """
        INSERT OR IGNORE INTO customer_stats (customer_id, orders, units, gross_revenue, returns, net_revenue)
        SELECT customer_id, 0, 0, 0, 0, 0 FROM customers;
        """;

    // The rows of the customers in touched_customers only, with the same definitions (the customer-stats job after an
    // import; the import no longer rebuilds the whole table in its transaction).
    public const string RefreshTouchedSql = """
        DELETE FROM customer_stats WHERE customer_id IN (SELECT customer_id FROM touched_customers);
        INSERT INTO customer_stats (customer_id, orders, units, gross_revenue, returns, net_revenue, first_purchase_at, last_purchase_at)
        SELECT c.customer_id, coalesce(a.orders, 0), coalesce(a.units, 0), coalesce(a.gross, 0), coalesce(a.returns, 0),
               coalesce(a.gross - a.returns, 0), a.first_at, a.last_at
        FROM touched_customers t JOIN customers c ON c.customer_id = t.customer_id LEFT JOIN (
            SELECT customer_id,
                COUNT(DISTINCT CASE WHEN quantity > 0 THEN order_id END) AS orders,
                TOTAL(CASE WHEN quantity > 0 THEN quantity END) AS units,
                TOTAL(CASE WHEN quantity > 0 THEN quantity * unit_price - discount END) AS gross,
                0 - TOTAL(CASE WHEN quantity < 0 THEN quantity * unit_price - discount END) AS returns,
                MIN(CASE WHEN quantity > 0 THEN ordered_at END) AS first_at,
                MAX(CASE WHEN quantity > 0 THEN ordered_at END) AS last_at
            FROM order_lines
            WHERE customer_id IN (SELECT customer_id FROM touched_customers)
            GROUP BY customer_id) a ON a.customer_id = c.customer_id;
        """;

    public static TimeSpan AddMissing(IBulkSession session) => Exec(session, AddMissingSql);

    public static TimeSpan Rebuild(IBulkSession session) => Exec(session, RebuildSql);

    private static TimeSpan Exec(IBulkSession session, string sql)
    {
        var clock = Stopwatch.StartNew();
        session.Execute(sql);
        return clock.Elapsed;
    }
}
