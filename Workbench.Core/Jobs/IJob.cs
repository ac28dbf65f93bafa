namespace Workbench.Core.Jobs;

// A derived dataset and how to bring it up to date. The pipeline orders jobs by what they depend on, never by the
// order they were registered in.
public interface IJob
{
    // Stable id, as stored in job_runs ("customer-features").
    string Name { get; }

    string Title { get; }

    IReadOnlyList<string> DependsOn { get; }

    // Among jobs whose dependencies are done, the lower runs first: what pages show within seconds of an import before
    // the slower bookkeeping.
    int Priority { get; }

    // Returns the rows written.
    Task<long> RunAsync(JobContext context, CancellationToken ct);
}

// Which customers a run brings up to date: those in touched_customers, or everyone. Refit: the population-wide figures
// (RFM cut points, the CLV fit, value drivers) are fitted again; otherwise the stored ones are held. Trigger: why the
// run happens; ChangedForEveryone: the data itself asks for everyone (an import marked everyone, or more touched
// customers than an incremental pass is worth), not only the request.
public sealed record JobScope(bool Everyone, bool Refit, long? ImportRunId = null, string? ImportedTable = null,
    JobTrigger Trigger = JobTrigger.Demand, bool ChangedForEveryone = false)
{
    public static readonly JobScope Rebuild = new(Everyone: true, Refit: true);
}

public sealed class JobContext(JobScope scope, Action<string> report)
{
    public JobScope Scope { get; } = scope;

    // Thread-safe; the latest message is what the Jobs page shows.
    public void Report(string progress) => report(progress);

    public IProgress<string> AsProgress() => new Reporter(report);

    private sealed class Reporter(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
