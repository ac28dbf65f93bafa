using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Tests.Data.Store;

// The bulk seam on a real SQLite file: rows, statements, indexes and transactions as the feature code sees them.
public sealed class BulkSessionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wb-bulk-" + Guid.NewGuid().ToString("N"));
    private readonly StoreLocation _store;

    public BulkSessionTests()
    {
        Directory.CreateDirectory(_directory);
        _store = StoreLocation.ForFile(Path.Combine(_directory, "store.db"));
        using var session = _store.Bulk.BeginSession(BulkSessionOptions.Default);
        session.Execute("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, x REAL, at TEXT); CREATE INDEX ix_t_n ON t (n);");
        session.Commit();
    }

    public void Dispose()
    {
        StoreLocation.ReleaseConnections();
        Directory.Delete(_directory, recursive: true);
    }

    private List<string> Rows(string sql = "SELECT rowid, k, quote(n), quote(x), at FROM t ORDER BY rowid")
    {
        using var reader = _store.Bulk.OpenReader();
        using var rows = reader.Query(sql);
        var result = new List<string>();
        while (rows.Next())
            result.Add(string.Join("|", Enumerable.Range(0, 5).Select(i => rows.IsNull(i) ? "NULL" : rows.Text(i))));
        return result;
    }

    [Fact]
    public void InsertRows_AcrossFullStatementsAndATail_AllWrittenWithTheirRowIds()
    {
        var reported = new List<(long First, int Rows)>();
        using (var session = _store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            // 2,000 rows of four columns: 1,000 to a statement (4,000 parameters), two full statements; then a tail of 23.
            using (var insert = session.InsertRows("t", ["k", "n", "x", "at"], (first, rows) => reported.Add((first, rows))))
            {
                for (var i = 0; i < 2023; i++)
                {
                    insert.Text(0, "k" + i);
                    insert.Integer(1, i % 4 == 0 ? null : i);
                    insert.Real(2, i % 5 == 0 ? double.NaN : i / 2.0);
                    insert.Time(3, i == 1 ? new DateTime(2026, 6, 1, 7, 30, 0, 250) : new DateTime(2026, 6, 1, 7, 30, 0));
                    insert.EndRow();
                }
                insert.Flush();
            }
            session.Commit();
        }

        Assert.Equal([(1L, 1000), (1001L, 1000), (2001L, 23)], reported);
        var rows = Rows();
        Assert.Equal(2023, rows.Count);
        Assert.Equal("1|k0|NULL|NULL|2026-06-01 07:30:00", rows[0]);
        // Fractions of a second as the store writes them (StoreTime), NaN stored as NULL.
        Assert.Equal("2|k1|1|0.5|2026-06-01 07:30:00.25", rows[1]);
        Assert.Equal("2023|k2022|2022|1011.0|2026-06-01 07:30:00", rows[2022]);
    }

    [Fact]
    public void Prepare_TextHoldsForOneRunNumbersStayBound_RunReportsChangedRows()
    {
        using (var session = _store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            using var insert = session.Prepare("INSERT INTO t (k, n, x, at) VALUES ($k, $n, 1.5, $at) ON CONFLICT (k) DO NOTHING");
            var k = insert.Parameter("$k");
            var at = insert.Parameter("$at");
            Assert.Equal(0, insert.Parameter("$missing"));
            insert.Integer(insert.Parameter("$n"), 7);
            var changed = new List<int>();
            foreach (var key in new[] { "a", "bé", "a", "ccc" })
            {
                insert.Text(k, key);
                insert.Text(at, "2026-01-0" + key.Length);
                changed.Add(insert.Run());
            }
            Assert.Equal([1, 1, 0, 1], changed);
            Assert.Equal(3, session.LastInsertedId);
            session.Commit();
        }

        Assert.Equal(["1|a|7|1.5|2026-01-01", "2|bé|7|1.5|2026-01-02", "3|ccc|7|1.5|2026-01-03"], Rows());
    }

    [Fact]
    public void DropSecondaryIndexes_ThenCreateIndexes_RestoresThem_AndARollbackRestoresThemToo()
    {
        using (var session = _store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            var dropped = session.DropSecondaryIndexes("t");
            Assert.Equal(["CREATE INDEX ix_t_n ON t (n)"], dropped);
            Assert.Equal(0, session.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_t_n'"));
            session.CreateIndexes(dropped);
            session.Commit();
        }
        using (var session = _store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            session.DropSecondaryIndexes("t");
            session.Execute("INSERT INTO t (k) VALUES ('gone')");
            // Disposed without a commit: rolled back.
        }
        using var reader = _store.Bulk.OpenReader();
        Assert.Equal(1, reader.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_t_n'"));
        Assert.Equal(0, reader.Scalar("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void AFailingStatement_ThrowsWithTheStoresMessage_AndWritesNothing()
    {
        using (var session = _store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            session.Execute("INSERT INTO t (k) VALUES ('one')");
            var e = Assert.Throws<StoreException>(() => session.Execute("INSERT INTO missing_table VALUES (1)"));
            Assert.Contains("no such table: missing_table", e.Message);
            using var insert = session.Prepare("INSERT INTO t (k) VALUES (?1)");
            insert.Text(1, "one");
            var conflict = Assert.Throws<StoreException>(() => insert.Run());
            Assert.Contains("UNIQUE constraint failed: t.k", conflict.Message);
        }
        using var reader = _store.Bulk.OpenReader();
        Assert.Equal(0, reader.Scalar("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void ASecondSession_WaitsForTheFirstWriter_ThenFailsWithTheBusyMessage()
    {
        using var first = _store.Bulk.BeginSession(BulkSessionOptions.Default);
        var e = Assert.Throws<StoreException>(() => _store.Bulk.BeginSession(BulkSessionOptions.Default with { WaitForWriter = TimeSpan.FromMilliseconds(50) }));
        Assert.Contains("locked", e.Message);
    }

    [Fact]
    public void Query_BindsArguments_AndReadsEveryColumnKind()
    {
        using (var session = _store.Bulk.BeginSession(BulkSessionOptions.Default))
        {
            session.Execute("INSERT INTO t VALUES ('a', 1, 2.5, '2026-06-01 07:30:00'), ('b', NULL, NULL, NULL)");
            session.Commit();
        }
        using var reader = _store.Bulk.OpenReader();
        using var rows = reader.Query("SELECT k, n, x, at FROM t WHERE at >= ?1 OR k = ?2", new DateTime(2026, 6, 1), "b");
        Assert.True(rows.Next());
        Assert.Equal("a", rows.Text(0));
        Assert.Equal(1, rows.Integer(1));
        Assert.Equal(2.5, rows.Real(2));
        Assert.Equal(new DateTime(2026, 6, 1, 7, 30, 0, DateTimeKind.Utc), StoreTime.Parse(rows.Text(3)!));
        Assert.True(rows.Next());
        Assert.True(rows.IsNull(1));
        Assert.Null(rows.Text(3));
        Assert.False(rows.Next());
    }
}
