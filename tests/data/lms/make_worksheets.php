<?php
// Writes the two Moodle grading worksheets used by tests/test_lms_moodle.py the way
// Moodle's download does: Spout's CSV writer (UTF-8 BOM, ',' and '"', PHP fputcsv,
// "\n" line ends), columns in assign_grading_table's order for an assignment with
// online text submissions and feedback comments, identity field "email".
// Spanish dates follow the es langconfig's strftimedaydatetime, '%A, %d de %B de %Y, %I:%M %p'.
// Run: php tests/data/lms/make_worksheets.php  (PHP 8.2 CLI).
function sheet($path, $header, $rows) {
    $fp = fopen($path, 'w');
    fwrite($fp, "\xEF\xBB\xBF");
    fputcsv($fp, $header);
    foreach ($rows as $row) {
        fputcsv($fp, $row);
    }
    fclose($fp);
}
$dir = __DIR__;
sheet("$dir/worksheet-en.csv",
    ['Identifier', 'Full name', 'Email address', 'Status', 'Grade', 'Maximum grade',
     'Grade can be changed', 'Last modified (submission)', 'Online text',
     'Last modified (grade)', 'Feedback comments'],
    [
        ['Participant 1234567', 'Ana García', 'ana@example.org', 'Submitted for grading', '',
         '10.00', 'Yes', 'Tuesday, 26 November 2024, 10:30 AM', '', '-', ''],
        ['Participant 1234568', 'Luis Pérez', 'luis@example.org', 'Submitted for grading - Graded',
         '6.00', '10.00', 'Yes', 'Monday, 25 November 2024, 09:15 AM', '',
         'Wednesday, 27 November 2024, 04:02 PM', '<p>Bien, pero revisa la pregunta 3.</p>'],
        ['Participant 1234569', 'Marta Ruiz', 'marta@example.org', 'No submission', '', '10.00',
         'Yes', '-', '', '-', ''],
        ['Participant 1234570', 'Pedro Gil', 'pedro@example.org', 'Submitted for grading', '',
         '10.00', 'No', 'Tuesday, 26 November 2024, 11:00 AM', '', '-', ''],
        ['Participant 1234571', "O'Brien, Sean", 'sean@example.org', 'Submitted for grading', '',
         '10.00', 'Yes', 'Tuesday, 26 November 2024, 11:05 AM', '', '-', ''],
    ]);
sheet("$dir/worksheet-es.csv",
    ['Identificador', 'Nombre completo', 'Dirección de correo', 'Estado', 'Calificación',
     'Calificación máxima', 'La calificación puede ser cambiada', 'Última modificación (entrega)',
     'Texto en línea', 'Última modificación (calificación)', 'Comentarios de retroalimentación'],
    [
        ['Participante1234567', 'Ana García', 'ana@example.org', 'Enviado para calificar', '',
         '100,00', 'Sí', 'martes, 26 de noviembre de 2024, 10:30 AM', '', '-', ''],
        ['Participante1234568', 'Luis Pérez', 'luis@example.org', 'Enviado para calificar - Calificado',
         '60,50', '100,00', 'Sí', 'lunes, 25 de noviembre de 2024, 09:15 AM', '',
         'miércoles, 27 de noviembre de 2024, 04:02 PM', '<p>Bien, pero revisa la pregunta 3.</p>'],
        ['Participante1234569', 'Marta Ruiz', 'marta@example.org', 'Sin entrega', '', '100,00', 'Sí',
         '-', '', '-', ''],
        ['Participante1234570', 'Pedro Gil', 'pedro@example.org', 'Enviado para calificar', '',
         '100,00', 'No', 'martes, 26 de noviembre de 2024, 11:00 AM', '', '-', ''],
        ['Participante1234571', "O'Brien, Sean", 'sean@example.org', 'Enviado para calificar', '',
         '100,00', 'Sí', 'martes, 26 de noviembre de 2024, 11:05 AM', '', '-', ''],
    ]);
