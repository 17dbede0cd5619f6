namespace CodingAgent.Api.Contracts;

/// <summary>The body of <c>POST /runs/{id}/messages</c>: a follow-up prompt, or <c>endSession: true</c>.</summary>
public sealed record MessageRequest(string? Prompt, bool? EndSession);
