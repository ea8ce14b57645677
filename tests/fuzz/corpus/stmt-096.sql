SELECT * FROM a JOIN b JOIN c ON b.x = c.x ON a.y = b.y
