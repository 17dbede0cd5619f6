namespace CodingAgent.Application.Requests;

public static class PromptRules
{
    public static void Check(string? prompt, string member, int maxCharacters, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            fail(member, $"Required: 1 to {maxCharacters} characters.");
        }
        else if (prompt.Length > maxCharacters)
        {
            fail(member, $"At most {maxCharacters} characters (got {prompt.Length}).");
        }
    }
}
