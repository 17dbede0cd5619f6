namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>One chat/completions request received by <see cref="ScriptedModelServer"/>.</summary>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="Path">The request path, e.g. <c>/v1/chat/completions</c>.</param>
/// <param name="Body">The raw JSON body.</param>
/// <param name="HadTools">True when the request offered tools (false means OpenCode's title generator).</param>
/// <param name="LastUserText">Text of the last <c>role:"user"</c> message, if any.</param>
/// <param name="SessionId">The <c>x-session-id</c> header, if any.</param>
/// <param name="Authorization">The <c>Authorization</c> header, if any.</param>
/// <param name="Reply">What the server answered: <c>text: …</c>, <c>tool: name {args}</c> or <c>fail: status</c>.</param>
public sealed record ModelRequestRecord(
    DateTimeOffset ReceivedAt,
    string Path,
    string Body,
    bool HadTools,
    string? LastUserText,
    string? SessionId,
    string? Authorization,
    string Reply);
