using System.Data.Common;
using Workbench.Core.Data;

namespace Workbench.Core.Customers;

// Indexes EF Core cannot express (case-insensitive, for the list's prefix search through LIKE), created idempotently
// at start-up, and customer_stats filled for a store that had lines before the table existed.
public static class CustomerSchema
{
    // A phone without its separators, as an indexable expression (the profile's duplicate lookup uses the same text).
    public const string PhoneDigitsSql = "replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')";

    public const string SearchIndexesSql = """
        CREATE INDEX IF NOT EXISTS ix_customers_id_nocase ON customers (customer_id COLLATE NOCASE);
        CREATE INDEX IF NOT EXISTS ix_customers_email_nocase ON customers (email COLLATE NOCASE);
        CREATE INDEX IF NOT EXISTS ix_customers_last_name_nocase ON customers (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
        CREATE INDEX IF NOT EXISTS ix_customers_first_name_nocase ON customers (first_name COLLATE NOCASE);
        CREATE INDEX IF NOT EXISTS ix_customers_phone_nocase ON customers (phone COLLATE NOCASE);
        CREATE INDEX IF NOT EXISTS ix_customers_email_normalised ON customers (lower(trim(email)));
        CREATE INDEX IF NOT EXISTS ix_customers_phone_digits ON customers (
        """ + PhoneDigitsSql + ");";

    public static async Task EnsureAsync(StoreLocation store, CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using (var command = connection.Command(SearchIndexesSql)) await command.ExecuteNonQueryAsync(ct);
        await using var check = connection.Command(
            "SELECT (SELECT COUNT(*) FROM customer_stats) = 0 AND EXISTS (SELECT 1 FROM customers)");
        if (Convert.ToInt64(await check.ExecuteScalarAsync(ct)) == 1)
        {
            await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
            await using var rebuild = connection.Command(CustomerStatsBuilder.RebuildSql);
            rebuild.Transaction = tx;
            rebuild.CommandTimeout = 0;
            await rebuild.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
    }
}
