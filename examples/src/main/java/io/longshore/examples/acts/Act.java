package io.longshore.examples.acts;

import java.util.Objects;

/**
 * One act: a captioned picture a user posted in a category. Immutable.
 *
 * @param actId        unique id chosen by the client
 * @param username     who posted it
 * @param timestamp    when, as the client formats it (the SelfieLessActs apps send
 *                     {@code DD-MM-YYYY:SS-MM-HH}); may be empty
 * @param caption      the caption
 * @param categoryName the category it belongs to
 * @param imgB64       the picture, base64-encoded; may be empty
 */
public record Act(long actId, String username, String timestamp, String caption,
                  String categoryName, String imgB64) {
    public Act {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(categoryName, "categoryName");
        Objects.requireNonNull(imgB64, "imgB64");
    }
}
