package web

import "github.com/gofiber/fiber/v2"

// ErrorPage answers, with a page for people, a request that failed where no handler wrote an
// answer: an address no route takes, or an error a handler returned. status picks the words;
// msg is used for statuses other than 404 and 500 (e.g. a body too large). The page shows no
// signed-in person: the session may not have been read.
func ErrorPage(c *fiber.Ctx, r *Renderer, status int, msg string) error {
	d := map[string]string{"Title": "Something went wrong", "Message": msg, "Link": "/", "LinkText": "Go to your home page"}
	switch status {
	case fiber.StatusNotFound:
		d["Title"], d["Message"] = "Page not found", "This address doesn't lead anywhere. Check the link, or go to your home page."
	case fiber.StatusInternalServerError:
		d["Message"] = "Something went wrong on our side. Try again in a minute; if it keeps happening, tell your administrator."
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return r.Render(c, status, "message", page{Data: d})
}
