using SQLitePCL;

namespace Workbench.Core.Data.Store.Sqlite;

// Rows inserted many to a statement (INSERT … VALUES (…), (…), …): SQLite opens the table and its indexes once per
// statement rather than once per row, which is most of the cost of a one-row insert. Values are held here until a
// statement's worth is ready (the last, shorter one gets its own statement). After each statement, flushed gets the row
// id of its first row: rows of one statement get consecutive row ids, as SQLite gives a new row max(rowid) + 1.
internal sealed class SqliteRowInserter : IRowInserter
{
    private enum Kind : byte { Null, Integer, Real, Text }

    private readonly sqlite3 _db;
    private readonly string _table;
    private readonly IReadOnlyList<string> _columns;
    private readonly int _rowsPerStatement;
    private readonly SqliteStatement _full;
    private readonly Action<long, int>? _flushed;
    private readonly Kind[] _kinds;
    private readonly long[] _integers;
    private readonly double[] _reals;
    private readonly (int Start, int Length)[] _texts;
    private readonly ByteArena _text = new(64 * 1024);
    private int _rows;

    public SqliteRowInserter(sqlite3 db, string table, IReadOnlyList<string> columns, Action<long, int>? flushed, int rowsPerStatement = 0)
    {
        _db = db;
        _table = table;
        _columns = columns;
        _flushed = flushed;
        // SQLite allows 32,766 parameters a statement.
        _rowsPerStatement = rowsPerStatement > 0 ? rowsPerStatement : Math.Max(1, 4000 / columns.Count);
        _full = new SqliteStatement(db, Sql(_rowsPerStatement));
        var values = _rowsPerStatement * columns.Count;
        _kinds = new Kind[values];
        _integers = new long[values];
        _reals = new double[values];
        _texts = new (int, int)[values];
    }

    private int Slot(int column) => _rows * _columns.Count + column;

    public void Text(int column, ReadOnlySpan<byte> utf8)
    {
        var slot = Slot(column);
        _kinds[slot] = Kind.Text;
        _texts[slot] = _text.Add(utf8);
    }

    public void Text(int column, string? value)
    {
        if (value is null)
        {
            Null(column);
            return;
        }
        Span<byte> utf8 = value.Length <= 256 ? stackalloc byte[value.Length * 3] : new byte[value.Length * 3];
        Text(column, utf8[..System.Text.Encoding.UTF8.GetBytes(value, utf8)]);
    }

    public void Time(int column, DateTime? utc)
    {
        if (utc is not { } t)
        {
            Null(column);
            return;
        }
        Span<byte> utf8 = stackalloc byte[32];
        Text(column, utf8[..StoreTime.Format(t, utf8)]);
    }

    public void Integer(int column, long? value)
    {
        if (value is not { } v)
        {
            Null(column);
            return;
        }
        var slot = Slot(column);
        _kinds[slot] = Kind.Integer;
        _integers[slot] = v;
    }

    public void Real(int column, double? value)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            Null(column);
            return;
        }
        var slot = Slot(column);
        _kinds[slot] = Kind.Real;
        _reals[slot] = v;
    }

    public void Null(int column) => _kinds[Slot(column)] = Kind.Null;

    public void EndRow()
    {
        if (++_rows == _rowsPerStatement) Flush();
    }

    public void Flush()
    {
        if (_rows == 0) return;
        if (_rows == _rowsPerStatement)
        {
            Run(_full);
        }
        else
        {
            using var tail = new SqliteStatement(_db, Sql(_rows));
            Run(tail);
        }
        _rows = 0;
        _text.Clear();
    }

    private void Run(SqliteStatement s)
    {
        for (var slot = 0; slot < _rows * _columns.Count; slot++)
        {
            var parameter = slot + 1;
            switch (_kinds[slot])
            {
                case Kind.Integer: s.Integer(parameter, _integers[slot]); break;
                case Kind.Real: s.Real(parameter, _reals[slot]); break;
                case Kind.Text: s.Text(parameter, _text[_texts[slot]]); break;
                default: s.Null(parameter); break;
            }
        }
        s.Run();
        _flushed?.Invoke(NativeSqlite.sqlite3_last_insert_rowid(_db.DangerousGetHandle()) - _rows + 1, _rows);
    }

    private string Sql(int rows)
    {
        var row = "(" + string.Join(", ", _columns.Select(_ => "?")) + ")";
        return $"INSERT INTO {_table} ({string.Join(", ", _columns)}) VALUES {string.Join(", ", Enumerable.Repeat(row, rows))}";
    }

    public void Dispose() => _full.Dispose();
}
