using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Jobs;

public enum JobStatus { Queued, Running, Succeeded, Failed, Cancelled, Skipped, Interrupted }

public enum JobTrigger { Import, Daily, Demand }

// One run of one job: what the Jobs page shows, and how a run killed with its process is found on the next start.
public sealed class JobRun
{
    public long Id { get; set; }
    // The runs of one pipeline request share it (the id of the request's first run).
    public long RequestId { get; set; }
    public required string Job { get; set; }
    public JobTrigger Trigger { get; set; }
    public JobStatus Status { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime QueuedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public long? Rows { get; set; }
    public string? Progress { get; set; }
    public string? Error { get; set; }
    // The process that runs it (ProcessOwner): a running row whose process is gone was interrupted.
    public string? Owner { get; set; }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs");
        b.HasKey(r => r.Id);
        b.Property(r => r.Trigger).HasConversion<string>();
        b.Property(r => r.Status).HasConversion<string>();
        b.HasIndex(r => r.Status);
        b.HasIndex(r => r.QueuedAt);
    }
}

// Customers whose derived rows (statistics, features, segment memberships) are behind their data: written by the
// import in its own transaction, consumed and cleared by the pipeline run that brings them up to date. The id ''
// stands for everyone (a large file, or products, whose categories reach every buyer of them).
public sealed class TouchedCustomer
{
    public const string Everyone = "";

    public required string CustomerId { get; set; }
    // The latest import that touched the customer: a run clears only what it saw.
    public long ImportRunId { get; set; }
}

internal sealed class TouchedCustomerConfiguration : IEntityTypeConfiguration<TouchedCustomer>
{
    public void Configure(EntityTypeBuilder<TouchedCustomer> b)
    {
        b.ToTable("touched_customers");
        b.HasKey(t => t.CustomerId);
    }
}
