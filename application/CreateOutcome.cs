using CodingAgent.Model;

namespace CodingAgent.Application;

/// <summary>What became of a create request that passed validation.</summary>
public abstract record CreateOutcome
{
    public sealed record Created(RunRecord Run) : CreateOutcome;

    /// <summary>A member refers to something that is not there (e.g. <c>continueFrom</c> names no run of the account).</summary>
    public sealed record Rejected(string Member, string Message) : CreateOutcome;

    public sealed record Limited(LimitExceeded Limit) : CreateOutcome;

    /// <summary>The account may not do this (e.g. name a repository outside its allow-list): a 403 with <see cref="Code"/>.</summary>
    public sealed record Forbidden(string Code, string Message) : CreateOutcome;
}
