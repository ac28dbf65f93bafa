namespace Workbench.Core.Experiments;

// Counts repeated unit ids in 8 bytes per row: an id that is a plain whole number (digits, no leading zero, up to
// 18 digits) is kept as that number; any other id as its 64-bit FNV-1a hash with the top bit set, so the two never meet.
// (Two different non-numeric ids share a hash with probability about n²/2⁶⁴: 5·10⁻⁶ at 10 million units.)
// Ids go into 1M-entry chunks, each sorted when full; duplicates are counted by merging the sorted chunks at the end.
internal sealed class UnitIdCollector
{
    private const int ChunkSize = 1 << 20;
    private readonly List<long[]> _chunks = [];
    private long[] _current = new long[ChunkSize];
    private int _count;
    private long _total;

    public void Add(string id)
    {
        if (_count == ChunkSize)
        {
            Array.Sort(_current);
            _chunks.Add(_current);
            _current = new long[ChunkSize];
            _count = 0;
        }
        _current[_count++] = Key(id);
        _total++;
    }

    public long Duplicates()
    {
        var last = _current.AsSpan(0, _count).ToArray();
        Array.Sort(last);
        var runs = _chunks.Append(last).ToList();
        var queue = new PriorityQueue<int, long>();
        var positions = new int[runs.Count];
        for (var r = 0; r < runs.Count; r++)
        {
            if (runs[r].Length > 0) queue.Enqueue(r, runs[r][0]);
        }
        long distinct = 0;
        long? previous = null;
        while (queue.TryDequeue(out var run, out var value))
        {
            if (previous != value) distinct++;
            previous = value;
            if (++positions[run] < runs[run].Length) queue.Enqueue(run, runs[run][positions[run]]);
        }
        return _total - distinct;
    }

    internal static long Key(string id)
    {
        if (id.Length is > 0 and <= 18 && (id[0] != '0' || id.Length == 1) && id.All(char.IsAsciiDigit)) return long.Parse(id);
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return (long)(hash | 0x8000_0000_0000_0000UL);
    }
}
