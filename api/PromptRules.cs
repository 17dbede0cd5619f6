namespace CodingAgent.Api;

internal static class PromptRules
{
    public static void Check(string? prompt, string member, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            fail(member, "Required: 1 to 120000 characters.");
        }
        else if (prompt.Length > CreateRunValidator.MaxPromptLength)
        {
            fail(member, $"At most {CreateRunValidator.MaxPromptLength} characters (got {prompt.Length}).");
        }
    }
}
