namespace CodingAgent.Api.Contracts;

/// <summary>The answer of <c>GET /api/health</c>: <c>healthy</c> or <c>unhealthy</c>, with one entry per dependency.</summary>
public sealed record HealthReport(string Status, HealthChecks Checks);

/// <summary>Per dependency: <c>ok</c> or the reason it failed.</summary>
public sealed record HealthChecks(string Storage);
