namespace Workbench.Core.Data;

// One writer at a time on the store within the process: imports and job runs queue here instead of meeting SQLite's
// busy error (another process, such as a command-line verb, still waits on SQLite's own lock).
public sealed class StoreWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
