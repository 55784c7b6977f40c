// The person's own clock, which the server cannot know: a UTC time as the browser's time zone shows it.
export function localTime(iso) {
    return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", timeZoneName: "short" });
}
