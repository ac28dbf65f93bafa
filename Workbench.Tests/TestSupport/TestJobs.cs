using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Data;
using Workbench.Core.Jobs;
using Workbench.Core.Segments;

namespace Workbench.Tests.TestSupport;

public static class TestJobs
{
    // The store's pipeline with its memberships job refreshing through the given service (with the test's clock), on the
    // store's write gate, for component tests of pages that ask the pipeline.
    public static JobPipeline WithSegments(TestStore store, SegmentService segments, TimeProvider clock) =>
        new(store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), store.Location,
            store.Services.GetRequiredService<StoreWriteGate>(),
            [.. store.Services.GetServices<IJob>().Where(j => j.Name != SegmentMembershipsJob.JobName), new SegmentMembershipsJob(segments)],
            clock, NullLogger<JobPipeline>.Instance);
}
