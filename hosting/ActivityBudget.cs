using CodingAgent.Configuration;

namespace CodingAgent.Hosting;

/// <summary>
/// The longest each activity can run with these settings, from the limits its steps enforce. The Functions host's
/// <c>functionTimeout</c> (host.json) must cover the longest, or the platform would kill an activity the product still
/// considers healthy; the Functions host refuses to start when it does not (<see cref="CodingAgentOptionsValidator"/>).
/// </summary>
public static class ActivityBudget
{
    // Fixed step limits in the code: a clone (RepositoryWorkspace), any other git command, the repository facts command.
    private static readonly TimeSpan Clone = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GitCommand = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FactsCommand = TimeSpan.FromMinutes(1);
    // Sandbox creation, uploads, storage writes and GitHub calls around the bounded steps; each has its own HTTP timeouts.
    private static readonly TimeSpan Overhead = TimeSpan.FromMinutes(5);

    public static TimeSpan Provision(CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Clone + (3 * GitCommand) + TimeSpan.FromSeconds(options.Agent.StartTimeoutSeconds + 20) + Overhead;
    }

    /// <summary>The agent's turn, plus the git commands that read its changes (changes, numstat + patch, scratch index).</summary>
    public static TimeSpan Turn(CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromSeconds(options.Agent.TurnTimeoutSeconds) + (3 * GitCommand) + Overhead;
    }

    /// <summary>The turn's validation command and, when it fails the first time, the same command on the base commit.</summary>
    public static TimeSpan Validate(CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FactsCommand + (2 * TimeSpan.FromSeconds(options.Validation.MaxTimeoutSeconds)) + (2 * GitCommand) + Overhead;
    }

    /// <summary>Branch, commit and rev-parse, then the push and the pull request calls.</summary>
    public static TimeSpan Publish(CodingAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (3 * GitCommand) + TimeSpan.FromSeconds(options.Publishing.PushTimeoutSeconds) + Overhead;
    }

    public static TimeSpan Longest(CodingAgentOptions options) =>
        new[] { Provision(options), Turn(options), Validate(options), Publish(options) }.Max();
}
