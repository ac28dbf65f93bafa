namespace Workbench.Core.Jobs;

public sealed record JobNode(string Name, IReadOnlyList<string> DependsOn, int Priority);

// The order a set of jobs runs in: every job after all it depends on; among the ready ones by priority, then name.
// Pure, so the order is a property of the definitions alone.
public static class JobPlan
{
    public static IReadOnlyList<string> Order(IEnumerable<JobNode> jobs)
    {
        var byName = new Dictionary<string, JobNode>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (!byName.TryAdd(job.Name, job)) throw new InvalidOperationException($"two jobs are named '{job.Name}'");
        }
        foreach (var job in byName.Values)
        {
            foreach (var dependency in job.DependsOn)
            {
                if (!byName.ContainsKey(dependency)) throw new InvalidOperationException($"job '{job.Name}' depends on '{dependency}', which is no job");
            }
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>(byName.Count);
        while (order.Count < byName.Count)
        {
            var next = byName.Values
                .Where(j => !done.Contains(j.Name) && j.DependsOn.All(done.Contains))
                .OrderBy(j => j.Priority).ThenBy(j => j.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (next is null)
            {
                var stuck = byName.Keys.Where(n => !done.Contains(n)).Order(StringComparer.Ordinal);
                throw new InvalidOperationException($"the jobs {string.Join(", ", stuck)} depend on each other in a cycle");
            }
            done.Add(next.Name);
            order.Add(next.Name);
        }
        return order;
    }

    // The named jobs and everything that depends on them, directly or not (what a rebuild of one dataset makes stale).
    public static IReadOnlySet<string> WithDependents(IEnumerable<JobNode> jobs, IEnumerable<string> names)
    {
        var all = jobs.ToList();
        var selected = new HashSet<string>(names, StringComparer.Ordinal);
        bool grew;
        do
        {
            grew = false;
            foreach (var job in all)
            {
                if (!selected.Contains(job.Name) && job.DependsOn.Any(selected.Contains)) grew |= selected.Add(job.Name);
            }
        } while (grew);
        return selected;
    }
}
