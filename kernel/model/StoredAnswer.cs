namespace CodingAgent.Model;

/// <summary>The answer a command gave, kept for replaying it to a retry: status, the headers a client acts on, and the JSON body.</summary>
public sealed record StoredAnswer(int Status, string? Location, string? RetryAfter, string Body);
