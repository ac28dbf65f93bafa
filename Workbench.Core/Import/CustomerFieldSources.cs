using System.Globalization;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Import;

// Per-field provenance, written inside the customers import's own transaction and set-based: a temporary trigger on
// the customers table runs, within the importer's UPDATE, one INSERT per field the file holds, each comparing the old
// and the new value, so only a value that changed moves its field's source. An inserted customer writes nothing (its
// fields keep the source of the customer's first import, created_import_id), nor does a row the file holds unchanged
// (its revision stays, the trigger does not fire).
internal static class CustomerFieldSources
{
    public const string Table = "customer_field_sources";

    public static void Begin(IBulkSession session, ImportSchema schema, int[] columnOf, long importId, DateTime importedAt)
    {
        // Dropped first, whatever the kind: a trigger left on a reused connection would carry another import's id.
        End(session);
        if (schema.Kind != ImportKind.Customers) return;
        var id = importId.ToString(CultureInfo.InvariantCulture);
        var at = StoreTime.Format(importedAt);
        var fields = schema.Fields.Where((f, i) => columnOf[i] >= 0 && f.Name != "customer_id").Select(f => f.Name).ToList();
        if (fields.Count == 0) return;
        var inserts = string.Concat(fields.Select(f =>
            $"INSERT OR REPLACE INTO {Table} (customer_id, field, import_run_id, changed_at) SELECT NEW.customer_id, '{f}', {id}, '{at}' WHERE OLD.{f} IS NOT NEW.{f};\n"));
        session.Execute($"""
            CREATE TEMP TRIGGER wb_field_sources AFTER UPDATE OF revision ON main.customers WHEN NEW.revision <> OLD.revision
            BEGIN
            {inserts}END;
            """);
    }

    public static void End(IBulkSession session) => session.Execute("DROP TRIGGER IF EXISTS temp.wb_field_sources;");
}
