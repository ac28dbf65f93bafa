using System.Collections.Concurrent;
using Workbench.Core.Data;
using Workbench.Core.Data.Store;

namespace Workbench.Core.Analytics.CustomerFeatures;

// Per customer and event type: how many, how many at or after the 90-day threshold, and the latest time (as stored).
internal readonly record struct EventTypeActivity((int Start, int Length) Type, long Total, long Last90d, (int Start, int Length) LastAt);

// The customers of one batch in customer order, each with its event types (a slice of Types); text in Text.
internal sealed class EventBatch
{
    public const int Customers = 2_000;
    public readonly ByteArena Text = new(64 * 1024);
    public readonly List<((int Start, int Length) Id, int First, int Count)> Owners = new(Customers);
    public readonly List<EventTypeActivity> Types = new(Customers * 4);

    // Batches go back to their reader once used: allocated anew, their lists (large objects) would set off full
    // garbage collections every few batches.
    public static EventBatch Reuse(System.Collections.Concurrent.ConcurrentQueue<EventBatch> free)
    {
        if (!free.TryDequeue(out var batch)) return new EventBatch();
        batch.Text.Clear();
        batch.Owners.Clear();
        batch.Types.Clear();
        return batch;
    }
}

// Streams the events in customer order (the (customer_id, occurred_at) index) and reduces each customer's events to
// their activity per type as it goes: no sort of twenty million rows, memory bounded by the channel.
internal static class EventActivityReader
{
    public static void Read(IStoreReader reader, string threshold90d, BlockingCollection<EventBatch> output, ConcurrentQueue<EventBatch> free, CancellationToken ct)
    {
        var threshold = System.Text.Encoding.UTF8.GetBytes(threshold90d);
        var batch = EventBatch.Reuse(free);
        var current = new byte[256];
        var currentLength = -1;
        // The current customer's types, each with its counts and latest time; the entries are reused customer after
        // customer (the row's bytes die on the next step, so they are copied).
        var types = new List<TypeCount>();
        var used = 0;

        using var row = reader.Query("SELECT customer_id, type, occurred_at FROM events ORDER BY customer_id");
        while (row.Next())
        {
            var id = row.Bytes(0);
            if (currentLength < 0 || !id.SequenceEqual(current.AsSpan(0, currentLength)))
            {
                if (currentLength >= 0 && Flush(batch, current.AsSpan(0, currentLength), types, used))
                {
                    output.Add(batch, ct);
                    batch = EventBatch.Reuse(free);
                }
                if (id.Length > current.Length) current = new byte[id.Length * 2];
                id.CopyTo(current);
                currentLength = id.Length;
                used = 0;
            }
            Add(types, ref used, row.Bytes(1), row.Bytes(2), threshold);
        }
        if (currentLength >= 0) Flush(batch, current.AsSpan(0, currentLength), types, used);
        if (batch.Owners.Count > 0) output.Add(batch, ct);
    }

    private sealed class TypeCount
    {
        public readonly ByteArena Text = new(64);
        public (int Start, int Length) Type, LastAt;
        public long Total, Last90d;
    }

    private static void Add(List<TypeCount> types, ref int used, ReadOnlySpan<byte> type, ReadOnlySpan<byte> at, byte[] threshold)
    {
        var recent = at.SequenceCompareTo(threshold) >= 0 ? 1 : 0;
        for (var i = 0; i < used; i++)
        {
            var t = types[i];
            if (!type.SequenceEqual(t.Text[t.Type])) continue;
            t.Total++;
            t.Last90d += recent;
            if (at.SequenceCompareTo(t.Text[t.LastAt]) > 0) t.LastAt = t.Text.Add(at);
            return;
        }
        if (used == types.Count) types.Add(new TypeCount());
        var entry = types[used++];
        entry.Text.Clear();
        entry.Type = entry.Text.Add(type);
        entry.LastAt = entry.Text.Add(at);
        entry.Total = 1;
        entry.Last90d = recent;
    }

    // Adds the customer to the batch; true when the batch is full.
    private static bool Flush(EventBatch batch, ReadOnlySpan<byte> id, List<TypeCount> types, int used)
    {
        var first = batch.Types.Count;
        for (var i = 0; i < used; i++)
        {
            var t = types[i];
            batch.Types.Add(new EventTypeActivity(batch.Text.Add(t.Text[t.Type]), t.Total, t.Last90d, batch.Text.Add(t.Text[t.LastAt])));
        }
        batch.Owners.Add((batch.Text.Add(id), first, used));
        return batch.Owners.Count == EventBatch.Customers;
    }
}
