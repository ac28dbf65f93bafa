namespace Workbench.Core.Data;

// UTF-8 values copied out of SQLite rows into one growing buffer, addressed by (start, length): a batch of a thousand
// customers' ids, order ids or event times without an array per value.
internal sealed class ByteArena(int capacity = 4096)
{
    private byte[] _buffer = new byte[capacity];
    private int _used;

    public (int Start, int Length) Add(ReadOnlySpan<byte> value)
    {
        if (_used + value.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + value.Length));
        value.CopyTo(_buffer.AsSpan(_used));
        var start = _used;
        _used += value.Length;
        return (start, value.Length);
    }

    public ReadOnlySpan<byte> this[(int Start, int Length) slot] => _buffer.AsSpan(slot.Start, slot.Length);

    public void Clear() => _used = 0;
}
