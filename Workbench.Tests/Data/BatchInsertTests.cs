using Microsoft.Data.Sqlite;
using Workbench.Core.Data;

namespace Workbench.Tests.Data;

public sealed class BatchInsertTests
{
    [Fact]
    public void RowsAcrossFullStatementsAndATail_AllWrittenWithTheirRowIds()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, x REAL, at TEXT)";
            create.ExecuteNonQuery();
        }
        var reported = new List<(long First, int Rows)>();
        // 23 rows, 5 to a statement: four full statements and a tail of three.
        using (var insert = new BatchInsert(connection.Handle!, "t", ["k", "n", "x", "at"], rowsPerStatement: 5) { Flushed = (first, rows) => reported.Add((first, rows)) })
        {
            for (var i = 0; i < 23; i++)
            {
                insert.Text(0, "k" + i);
                insert.Integer(1, i % 4 == 0 ? null : i);
                insert.Real(2, i % 5 == 0 ? double.NaN : i / 2.0);
                insert.Time(3, i == 1 ? new DateTime(2026, 6, 1, 7, 30, 0, 250) : new DateTime(2026, 6, 1, 7, 30, 0));
                insert.EndRow();
            }
            insert.Flush();
        }

        Assert.Equal([(1L, 5), (6L, 5), (11L, 5), (16L, 5), (21L, 3)], reported);
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT rowid, k, quote(n), quote(x), at FROM t ORDER BY rowid";
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)}|{reader.GetString(1)}|{reader.GetString(2)}|{reader.GetString(3)}|{reader.GetString(4)}");
        Assert.Equal(23, rows.Count);
        Assert.Equal("1|k0|NULL|NULL|2026-06-01 07:30:00", rows[0]);
        // Fractions of a second as the store writes them (StoreSql.Format), NaN stored as NULL.
        Assert.Equal("2|k1|1|0.5|2026-06-01 07:30:00.25", rows[1]);
        Assert.Equal("23|k22|22|11.0|2026-06-01 07:30:00", rows[22]);
    }
}
