namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// A request the loopback server received: its operation, path, headers and (JSON) body, so tests can assert on the wire.
/// </summary>
public sealed record RecordedRequest(string Operation, string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, string? SandboxId, DateTimeOffset At);
