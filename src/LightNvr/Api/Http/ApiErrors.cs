using LightNvr.Json;

namespace LightNvr.Api.Http;

/// <summary>Every API failure as upstream's <see cref="ErrorBody"/> with its status.</summary>
public static class ApiErrors
{
    public static IResult BadRequest(string message) => Results.Json(new ErrorBody(message), statusCode: 400);
    public static IResult Unauthorized(string message = "Unauthorized") => Results.Json(new ErrorBody(message), statusCode: 401);
    public static IResult Forbidden(string message = "Forbidden") => Results.Json(new ErrorBody(message), statusCode: 403);
    public static IResult NotFound(string message = "Not Found") => Results.Json(new ErrorBody(message), statusCode: 404);
    public static IResult Conflict(string message) => Results.Json(new ErrorBody(message), statusCode: 409);
    public static IResult Status(int statusCode, string message) => Results.Json(new ErrorBody(message), statusCode: statusCode);

    /// <summary>429 with <c>Retry-After</c> for a login refused by <see cref="Auth.LoginRateLimiter"/>.</summary>
    public static IResult TooManyLogins(HttpContext context, TimeSpan wait)
    {
        context.Response.Headers.RetryAfter = Auth.LightNvrAuthenticationHandler.RetryAfterSeconds(wait);
        return Status(StatusCodes.Status429TooManyRequests, Auth.LightNvrAuthenticationHandler.TooManyLoginsMessage(wait));
    }
}
