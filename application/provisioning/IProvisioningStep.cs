using CodingAgent.Model;

namespace CodingAgent.Application.Provisioning;

/// <summary>
/// One step of provisioning, recorded as a phase of its own. Steps must be safe to run again: an attempt that failed is
/// retried from the first step that did not succeed.
/// </summary>
public interface IProvisioningStep
{
    string Phase { get; }

    /// <summary>Does the step; the change it returns is written to the run together with the end of its phase.</summary>
    Task<Func<RunRecord, RunRecord>?> RunAsync(RunRecord run, CancellationToken cancellationToken);
}
