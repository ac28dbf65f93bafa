using System.Threading.RateLimiting;

namespace Workbench.Security;

// Customer searches per user name, shared by the Customers page and the API: Workbench:Customers:SearchesPerMinute
// (default 60) in a sliding minute of six 10-second segments. Listing, paging and sorting without a search term are free.
public sealed class CustomerSearchLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CustomerSearchLimiter(IConfiguration configuration)
    {
        PerMinute = Math.Max(1, configuration.GetValue("Workbench:Customers:SearchesPerMinute", 60));
        _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetSlidingWindowLimiter(user,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = PerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public int PerMinute { get; }

    public string RefusalMessage => $"Too many searches: at most {PerMinute} a minute per user. Wait a few seconds and search again.";

    // True when this search may run; a query without a search term always may.
    public bool TryAcquire(string? userName, string? search)
    {
        if (string.IsNullOrWhiteSpace(search)) return true;
        using var lease = _limiter.AttemptAcquire(userName ?? "");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
