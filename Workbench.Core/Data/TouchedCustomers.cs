using System.Globalization;
using Workbench.Core.Data.Store;
using Workbench.Core.Import;

namespace Workbench.Core.Data;

// Records, inside the import's own transaction, which customers the import changed (touched_customers), so the jobs
// after it recompute those customers only. Set-based: temporary triggers on the imported table add the customer of
// every inserted or changed row (an unchanged row keeps its revision and fires nothing). A large file, or products
// (whose category reaches every buyer of them), marks everyone instead ('').
internal static class TouchedCustomers
{
    public static void Begin(IBulkSession session, ImportKind kind, long importId, bool everyone)
    {
        // Outcomes change no customer's figures.
        if (kind == ImportKind.Outcomes) return;
        var id = importId.ToString(CultureInfo.InvariantCulture);
        if (everyone || kind == ImportKind.Products)
        {
            session.Execute($"INSERT OR REPLACE INTO touched_customers (customer_id, import_run_id) VALUES ('', {id})");
            return;
        }
        var table = StoreWriter.TableName(kind);
        var add = $"INSERT OR REPLACE INTO touched_customers (customer_id, import_run_id) VALUES (NEW.customer_id, {id});";
        // A line or event moved to another customer changes both.
        var old = kind is ImportKind.Transactions or ImportKind.Events
            ? $"INSERT OR REPLACE INTO touched_customers (customer_id, import_run_id) SELECT OLD.customer_id, {id} WHERE OLD.customer_id <> NEW.customer_id;"
            : "";
        session.Execute($"""
            CREATE TEMP TRIGGER IF NOT EXISTS wb_touched_insert AFTER INSERT ON main.{table} BEGIN {add} END;
            CREATE TEMP TRIGGER IF NOT EXISTS wb_touched_update AFTER UPDATE OF revision ON main.{table} WHEN NEW.revision <> OLD.revision
            BEGIN {add} {old} END;
            """);
    }

    public static void End(IBulkSession session) =>
        session.Execute("DROP TRIGGER IF EXISTS temp.wb_touched_insert; DROP TRIGGER IF EXISTS temp.wb_touched_update;");
}
