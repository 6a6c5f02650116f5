package io.longshore.api;

/** The image of a spec is not present and could not (or may not) be pulled. */
public class ImageNotFoundException extends ContainerRuntimeException {
    private static final long serialVersionUID = 1L;
    private final String image;

    public ImageNotFoundException(String image, String message, Throwable cause) {
        super(null, message, cause);
        this.image = image;
    }

    public String image() {
        return image;
    }
}
