namespace CodingAgent.Api.Contracts;

/// <summary>The body of <c>POST /runs/{id}/cancel</c>: empty, or an empty JSON object.</summary>
public sealed record CancelRequest;
